// Engine choice: auto falls back to eSpeak NG without the CSM files, csm without them is refused
// with the missing files named, unknown names are refused.

#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/engine/engine_choice.h"
#include "core/wiring/installed_engines.h"
#include "tests/engine/error_sentence.h"

using namespace echoforge;

namespace {

void touch(const QString& path) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
}

} // namespace

class TestEngineChoice : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void withoutCsm() {
        QTemporaryDir models;
        QCOMPARE(chooseEngine("auto", models.path()).engineId, QStringLiteral("espeak"));
        QVERIFY(chooseEngine("auto", models.path()).reason.contains("not installed"));
        QCOMPARE(chooseEngine("espeak", models.path()).engineId, QStringLiteral("espeak"));
        try {
            chooseEngine("csm", models.path());
            QFAIL("csm without its files must be refused");
        } catch (const Error& e) {
            QVERIFY(e.sentence().contains("not installed"));
            QVERIFY(e.sentence().contains(models.filePath("csm/model.safetensors")));
        }
        QCOMPARE(test::errorSentenceOf([&] { chooseEngine("piper", models.path()); }),
                 QStringLiteral("There is no engine 'piper'; choose auto, csm or espeak."));
        QCOMPARE(createEngine("espeak", models.path())->id(), QStringLiteral("espeak"));
    }

    void withCsmInstalled() {
        QTemporaryDir models;
        for (const char* file : {"csm/model.safetensors", "csm/config.json", "mimi/model.safetensors",
                                 "tokenizer/tokenizer.json"})
            touch(models.filePath(file));
        QCOMPARE(chooseEngine("auto", models.path()).engineId, QStringLiteral("csm"));
        QCOMPARE(chooseEngine("CSM", models.path()).engineId, QStringLiteral("csm"));
        QCOMPARE(chooseEngine("espeak", models.path()).engineId, QStringLiteral("espeak"));
    }
};

QTEST_GUILESS_MAIN(TestEngineChoice)
#include "tst_engine_choice.moc"
