// The real echoforge-server (eSpeak NG, a private data folder) called by stock clients: curl, and
// the official `openai` npm package's audio.speech.create (pinned, fetched at configure time by
// cmake/OpenAiClient.cmake). Then SIGTERM: the running job is cancelled and the server stops
// cleanly, leaving the history folder for the next start.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"

namespace {

const QString kToken = QStringLiteral("clients-test-token");

} // namespace

class TestApiClients : public QObject {
    Q_OBJECT

    QTemporaryDir m_data;
    QProcess m_server;
    QString m_base;   // http://127.0.0.1:PORT

    bool startServer() {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("ECHOFORGE_DATA_DIR", m_data.path());
        env.insert("ECHOFORGE_MODEL_DIR", m_data.filePath("no-models"));
        env.insert("ECHOFORGE_API_TOKEN", kToken);
        m_server.setProcessEnvironment(env);
        m_server.start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-server"), {"--port", "0"});
        static const QRegularExpression ready(R"(listening on (http://127\.0\.0\.1:\d+))");
        QByteArray out;
        const bool up = QTest::qWaitFor([&] {
            out += m_server.readAllStandardOutput();
            const auto m = ready.match(QString::fromUtf8(out));
            if (m.hasMatch())
                m_base = m.captured(1);
            return m.hasMatch() || m_server.state() == QProcess::NotRunning;
        }, 30000);
        if (!up || m_base.isEmpty())
            qWarning() << "server did not start:" << out << m_server.readAllStandardError();
        return !m_base.isEmpty();
    }

    static QByteArray run(const QString& program, const QStringList& args, int* exitCode = nullptr,
                          const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(program, args);
        p.waitForFinished(60000);
        if (exitCode)
            *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        const QByteArray err = p.readAllStandardError();
        if (!err.isEmpty())
            qInfo() << program << err;
        return p.readAllStandardOutput();
    }

    double secondsIn(const QString& wav) { return echoforge::readAudio(wav).durationSeconds(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(startServer()); }

    void curl() {
        const QString curl = QStandardPaths::findExecutable("curl");
        if (curl.isEmpty())
            QSKIP("curl is not installed");
        int code = -1;
        const QByteArray health = run(curl, {"-sS", m_base + "/api/health"}, &code);
        QCOMPARE(code, 0);
        QCOMPARE(QJsonDocument::fromJson(health).object()["engine"].toString(), QStringLiteral("eSpeak NG"));
        const QByteArray voices = run(curl, {"-sS", "-H", "Authorization: Bearer " + kToken, m_base + "/api/voices"});
        QVERIFY(QJsonDocument::fromJson(voices).array().size() > 0);
        const QString out = m_data.filePath("curl.wav");
        run(curl, {"-sS", "-f", "-o", out, "-H", "Authorization: Bearer " + kToken, "-H", "Content-Type: application/json",
                   "-d", R"({"model": "tts-1", "input": "Hello from curl.", "voice": "ada"})", m_base + "/v1/audio/speech"}, &code);
        QCOMPARE(code, 0);
        QVERIFY(secondsIn(out) > 0.3);
        const QByteArray refused = run(curl, {"-sS", "-o", "/dev/null", "-w", "%{http_code}", m_base + "/api/voices"});
        QCOMPARE(refused, QByteArray("401"));
    }

    void openAiNpmClient() {
        const QString node = QStandardPaths::findExecutable("node");
        if (node.isEmpty())
            QSKIP("node is not installed");
        if (!QFile::exists(QStringLiteral(ECHOFORGE_NODE_MODULES "/openai/package.json")))
            QSKIP("the openai npm package was not fetched at configure time (no npm or no registry)");
        const QString out = m_data.filePath("openai.wav");
        const QString script = QStringLiteral(R"js(
const OpenAI = require('openai');
const fs = require('fs');
(async () => {
  const client = new OpenAI({ apiKey: process.env.TOKEN, baseURL: process.env.BASE + '/v1' });
  const response = await client.audio.speech.create({
    model: 'tts-1', voice: 'ada', input: 'Hello from the OpenAI client.', response_format: 'wav' });
  fs.writeFileSync(process.env.OUT, Buffer.from(await response.arrayBuffer()));
  const models = await client.models.list();
  console.log(models.data.map(m => m.id).join(','));
})().catch(e => { console.error(e); process.exit(1); });
)js");
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("NODE_PATH", QStringLiteral(ECHOFORGE_NODE_MODULES));
        env.insert("TOKEN", kToken);
        env.insert("BASE", m_base);
        env.insert("OUT", out);
        int code = -1;
        const QByteArray printed = run(node, {"-e", script}, &code, env);
        QCOMPARE(code, 0);
        QVERIFY(printed.contains("echoforge"));
        QVERIFY(secondsIn(out) > 0.5);
    }

    // Last: stops the server.
    void sigtermCancelsAndStopsCleanly() {
        const QString curl = QStandardPaths::findExecutable("curl");
        if (curl.isEmpty())
            QSKIP("curl is not installed");
        const QString text = QString("This is a long sentence for the stop test. ").repeated(150);
        const QByteArray accepted = run(curl, {"-sS", "-H", "Authorization: Bearer " + kToken, "-H", "Content-Type: application/json",
                                               "-d", QStringLiteral(R"({"text": "%1", "voice": "ada"})").arg(text), m_base + "/api/generate"});
        QVERIFY2(QJsonDocument::fromJson(accepted).object()["id"].toInteger() > 0, accepted.constData());
        m_server.terminate();   // SIGTERM
        QVERIFY(m_server.waitForFinished(15000));
        QCOMPARE(m_server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_server.exitCode(), 0);
        // The history folder is free and whole: a new server starts on it.
        m_base.clear();
        QVERIFY(startServer());
        m_server.terminate();
        QVERIFY(m_server.waitForFinished(15000));
        QCOMPARE(m_server.exitCode(), 0);
    }

    void cleanupTestCase() {
        if (m_server.state() != QProcess::NotRunning) {
            m_server.kill();
            m_server.waitForFinished(5000);
        }
    }
};

QTEST_GUILESS_MAIN(TestApiClients)
#include "tst_api_clients.moc"
