// echoforge-cli models and diagnostic against the loopback hub (fake_hub.h): list, get with
// progress, a gated model without a token, verify, remove; diagnostic naming a transformers
// checkpoint's format, size and checksum state.

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "fake_hub.h"

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

} // namespace

class TestCliModels : public QObject {
    Q_OBJECT

    FakeHub* hub_ = nullptr;
    QTemporaryDir models_;

    // Runs the CLI while this process's event loop serves the hub.
    Run cli(const QStringList& args) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HF_ENDPOINT", hub_->endpoint());
        env.remove("HF_TOKEN");
        p.setProcessEnvironment(env);
        QSignalSpy done(&p, &QProcess::finished);
        p.start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-cli"), QStringList(args) << "--model-dir" << models_.path());
        if (!p.waitForStarted())
            return {};
        done.wait(30'000);
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

private Q_SLOTS:
    void initTestCase() {
        hub_ = new FakeHub;
        if (!hub_->listening())
            QSKIP("cannot listen on 127.0.0.1 and 127.0.0.2");
        if (!QFileInfo::exists(ECHOFORGE_BIN_DIR "/echoforge-cli"))
            QSKIP("echoforge-cli is not built");
        hub_->addFile("kyutai/moshiko-pytorch-bf16", "tokenizer-e351c8d8-checkpoint125.safetensors", {QByteArray(300'000, 'm'), true});
        hub_->addFile("sesame/csm-1b", "config.json", {"{}", false});
        hub_->setGated("sesame/csm-1b", "secret");
    }
    void cleanupTestCase() { delete hub_; }

    void listGetVerifyRemove() {
        Run list = cli({"models", "list", "--json"});
        QCOMPARE(list.code, 0);
        const QJsonArray all = QJsonDocument::fromJson(list.out).array();
        QCOMPARE(all.size(), 3);
        QCOMPARE(all[1].toObject()["id"].toString(), QStringLiteral("mimi"));
        QCOMPARE(all[1].toObject()["installed"].toBool(), false);

        const Run get = cli({"models", "get", "mimi"});
        QVERIFY2(get.code == 0, get.err.constData());
        QVERIFY2(get.err.contains("[1/1] tokenizer-e351c8d8-checkpoint125.safetensors: ") && get.err.contains(" of "), get.err.constData());
        const QString file = models_.filePath("mimi/tokenizer-e351c8d8-checkpoint125.safetensors");
        QCOMPARE(QFileInfo(file).size(), qint64(300'000));

        const Run verify = cli({"models", "verify", "mimi"});
        QCOMPARE(verify.code, 0);
        QVERIFY2(verify.out.contains("verified sha256:" + FakeHub::sha256Hex(QByteArray(300'000, 'm'))), verify.out.constData());

        const Run remove = cli({"models", "remove", "mimi"});
        QCOMPARE(remove.code, 0);
        QVERIFY(!QFile::exists(file));
    }

    void gatedWithoutToken() {
        const Run get = cli({"models", "get", "csm-1b"});
        QCOMPARE(get.code, 1);
        QVERIFY2((get.out + get.err).contains("HF_TOKEN"), (get.out + get.err).constData());
        QVERIFY(!QFile::exists(models_.filePath("csm/config.json")));
    }

    void diagnosticNamesFormatAndChecksum() {
        const QString golden = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A-transformers");
        QDir().mkpath(models_.filePath("csm"));
        QVERIFY(QFile::copy(golden + "/config.json", models_.filePath("csm/config.json")));
        QVERIFY(QFile::copy(golden + "/model.safetensors", models_.filePath("csm/model.safetensors")));
        const Run diag = cli({"diagnostic"});
        QCOMPARE(diag.code, 0);
        const QJsonObject weights = QJsonDocument::fromJson(diag.out).object()["models"].toObject()["csm_weights"].toObject();
        QCOMPARE(weights["format"].toString(), QStringLiteral("safetensors, transformers names"));
        QCOMPARE(qint64(weights["bytes"].toDouble()), QFileInfo(golden + "/model.safetensors").size());
        QCOMPARE(weights["checksum"].toString(), QStringLiteral("not verified"));
    }
};

QTEST_GUILESS_MAIN(TestCliModels)
#include "tst_cli_models.moc"
