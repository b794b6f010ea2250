// echoforge-cli diagnostic prints one JSON object holding every key the diagnostic promises.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QtTest>
#include <torch/version.h>

class TestCliDiagnostic : public QObject {
    Q_OBJECT

    static QString cli() { return QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-cli"); }

    static QJsonObject runDiagnostic(const QStringList& extra = {}) {
        QProcess p;
        p.start(cli(), QStringList{"diagnostic"} + extra);
        if (!p.waitForFinished(60000) || p.exitCode() != 0) {
            qWarning() << p.readAllStandardError();
            return {};
        }
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(p.readAllStandardOutput(), &error);
        if (error.error != QJsonParseError::NoError)
            qWarning() << error.errorString();
        return doc.object();
    }

private Q_SLOTS:
    void holdsEveryKey() {
        const QJsonObject d = runDiagnostic();
        QVERIFY(!d.isEmpty());
        for (const char* key : {"version", "qt", "libtorch", "qcoro", "spdlog", "espeak_ng", "cpu",
                                "memory", "cuda", "paths", "models"})
            QVERIFY2(d.contains(key), key);
        // The versions this build links, whatever they are (no pinned release): libtorch from its
        // own version header, Qt from the running library.
        QCOMPARE(d["libtorch"].toString(), QStringLiteral(TORCH_VERSION));
        QVERIFY2(QRegularExpression("^\\d+\\.\\d+\\.\\d+").match(d["libtorch"].toString()).hasMatch(),
                 qPrintable(d["libtorch"].toString()));
        QCOMPARE(d["qt"].toString(), QString::fromLatin1(qVersion()));
        const QJsonObject cpu = d["cpu"].toObject();
        for (const char* key : {"model", "cores", "torch_threads", "simd"})
            QVERIFY2(cpu.contains(key), key);
        QVERIFY(cpu["cores"].toInt() >= 1);
        // Debian's libtorch starts with one thread; the CLI must use every core by default.
        QCOMPARE(cpu["torch_threads"].toInt(), cpu["cores"].toInt());
        QVERIFY(d["memory"].toObject()["total_bytes"].toDouble() > 0);
        QVERIFY(d["cuda"].toObject().contains("available"));
        for (const char* key : {"data", "voices", "history", "cache", "models", "logs"})
            QVERIFY2(d["paths"].toObject().contains(key), key);
    }

    void reportsModelFilesFoundOrMissing() {
        QTemporaryDir models;
        QDir(models.path()).mkpath("csm");
        QFile f(models.filePath("csm/model.safetensors"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const QJsonObject m = runDiagnostic({"--model-dir", models.path()})["models"].toObject();
        QCOMPARE(m["csm_weights"].toObject()["status"].toString(), QStringLiteral("found"));
        QCOMPARE(m["csm_weights"].toObject()["path"].toString(), models.filePath("csm/model.safetensors"));
        QCOMPARE(m["mimi_weights"].toObject()["status"].toString(), QStringLiteral("missing"));
        QVERIFY(m["mimi_weights"].toObject()["path"].toString().startsWith(models.path()));
        QCOMPARE(m["complete"].toBool(), false);
    }

    void helpAndVersion() {
        QProcess p;
        p.start(cli(), {"--version"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().startsWith("echoforge-cli "));
        p.start(cli(), {"--help"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().contains("diagnostic"));
        p.start(cli(), {"no-such-command"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(p.readAllStandardError()).trimmed(),
                 QStringLiteral("echoforge-cli: unknown command 'no-such-command'. Run 'echoforge-cli --help' for the list."));
    }
};

QTEST_GUILESS_MAIN(TestCliDiagnostic)
#include "tst_cli_diagnostic.moc"
