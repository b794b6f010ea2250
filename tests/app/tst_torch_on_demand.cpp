// libtorch is opened on first use (core/wiring/model_runtime_loader.h): commands and windows that
// never run the model never map it, and the ones that do open it. The dynamic loader itself says
// which files a process opened (LD_DEBUG=files, glibc's ld.so), so the test does not rely on
// anything the program reports about itself.

#include <sysexits.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

class TestTorchOnDemand : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    struct Run {
        int exitCode = -1;
        QByteArray out;
        QString err;
        QStringList opened;   // base names of every shared object the loader opened
    };

    Run run(const QString& program, const QStringList& args, const QByteArray& input = {},
            const QString& torchLibrary = {}) {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("ECHOFORGE_DATA_DIR", m_home.filePath("data"));
        env.insert("ECHOFORGE_MODEL_DIR", m_home.filePath("no-models"));
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("LD_DEBUG", "files");
        if (!torchLibrary.isEmpty())
            env.insert("ECHOFORGE_TORCH_LIBRARY", torchLibrary);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(ECHOFORGE_BIN_DIR "/") + program, args);
        if (!p.waitForStarted(10000))
            return {};
        if (!input.isEmpty())
            p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit)
            return {};
        Run r{p.exitCode(), p.readAllStandardOutput(), QString::fromUtf8(p.readAllStandardError()), {}};
        // ld.so writes "   <pid>:\tfile=<name> [0];  needed by <path> [0]" (or "dynamically
        // loaded by"), then "file=<name> [0];  generating link map", for each object it opens.
        static const QRegularExpression fileLine(QStringLiteral("file=(\\S+) \\[\\d+\\];"));
        for (auto it = fileLine.globalMatch(r.err); it.hasNext();)
            r.opened << QFileInfo(it.next().captured(1)).fileName();
        r.opened.removeDuplicates();
        return r;
    }

    // libtorch itself (libtorch.so, libtorch_cpu.so, ...), whoever asked for it.
    static bool mapsLibtorch(const QStringList& opened) {
        return !opened.filter(QRegularExpression(QStringLiteral("^libtorch(_[a-z]+)?\\.so"))).isEmpty();
    }

private Q_SLOTS:
    void torchFreeCommandsNeverMapLibtorch_data() {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("--version") << "echoforge-cli" << QStringList{"--version"} << QByteArray();
        QTest::newRow("voices") << "echoforge-cli" << QStringList{"voices"} << QByteArray();
        QTest::newRow("tokenize") << "echoforge-cli" << QStringList{"tokenize"} << QByteArray("{\"text\": \"Hello there.\"}\n");
        QTest::newRow("say with eSpeak NG")
            << "echoforge-cli"
            << QStringList{"say", "--engine", "espeak", "--voice", "ada", "--text", "Hello.", "-o", m_home.filePath("hello.wav")}
            << QByteArray();
        QTest::newRow("studio first paint")
            << "echoforge" << QStringList{"--screenshot", m_home.filePath("studio.png"), "--size", "1024x640"} << QByteArray();
    }

    void torchFreeCommandsNeverMapLibtorch() {
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        const Run r = run(program, args, input);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err.right(2000)));
        // The loader's report is there (Qt itself was opened): an empty list would prove nothing.
        QVERIFY2(r.opened.filter(QRegularExpression("^libQt6Core\\.so")).size() == 1, qPrintable(r.opened.join(' ')));
        QVERIFY2(!mapsLibtorch(r.opened), qPrintable(r.opened.join(' ')));
    }

    // The other side: the diagnostic names libtorch's version, so it opens the torch library,
    // and libtorch comes with it.
    void theDiagnosticOpensLibtorch() {
        const Run r = run("echoforge-cli", {"diagnostic", "--compact"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.opened.contains("libechoforge_torch.so"), qPrintable(r.opened.join(' ')));
        QVERIFY2(r.opened.filter(QRegularExpression("^libtorch_cpu\\.so")).size() == 1, qPrintable(r.opened.join(' ')));
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(!report.value("libtorch").toString().isEmpty(), r.out.constData());
    }

    // A torch library that cannot be opened is a sentence and the exit code of "not installed";
    // the diagnostic still reports, naming the library and why.
    void aMissingTorchLibraryIsASentence() {
        const QString missing = m_home.filePath("nowhere/libechoforge_torch.so");
        const Run conformance = run("echoforge-cli", {"conformance", QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A")}, {}, missing);
        QCOMPARE(conformance.exitCode, EX_UNAVAILABLE);
        QVERIFY2(conformance.err.contains("EchoForge could not open its model library " + missing), qPrintable(conformance.err.right(2000)));
        QVERIFY(conformance.err.contains("Reinstall EchoForge"));

        const Run diagnostic = run("echoforge-cli", {"diagnostic", "--compact"}, {}, missing);
        QCOMPARE(diagnostic.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(diagnostic.out).object();
        QVERIFY(report.value("libtorch").isNull());
        const QJsonObject library = report.value("model_library").toObject();
        QCOMPARE(library.value("path").toString(), missing);
        QVERIFY2(library.value("error").toString().startsWith("EchoForge could not open its model library"), diagnostic.out.constData());
        QVERIFY(!mapsLibtorch(diagnostic.opened));
    }
};

QTEST_GUILESS_MAIN(TestTorchOnDemand)
#include "tst_torch_on_demand.moc"
