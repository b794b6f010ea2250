// Settings round-trip through QSettings; paths follow the environment overrides.

#include <cmath>
#include <tuple>

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/numbers.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/common/settings_check.h"
#include "tests/engine/error_sentence.h"

using namespace echoforge;

class TestSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsWhenEmpty() {
        QTemporaryDir dir;
        QSettings store(dir.filePath("s.ini"), QSettings::IniFormat);
        QCOMPARE(Settings::load(store), Settings{});
    }

    void roundTrip() {
        QTemporaryDir dir;
        Settings s;
        s.modelDir = "/opt/models";
        s.engine = "espeak";
        s.threads = 3;
        s.temperature = 0.7;
        s.topK = 12;
        s.queueLimit = 7;
        s.theme = "dark";
        s.loudnessTargetLufs = -20.5;
        {
            QSettings store(dir.filePath("s.ini"), QSettings::IniFormat);
            s.save(store);
        }
        QSettings again(dir.filePath("s.ini"), QSettings::IniFormat);
        const Settings loaded = Settings::load(again);
        QCOMPARE(loaded, s);
        QVERIFY(!(loaded == Settings{}));
    }

    void wrongTypesFallBackToDefaults() {
        QTemporaryDir dir;
        QSettings store(dir.filePath("s.ini"), QSettings::IniFormat);
        store.setValue("limits/queue", "many");
        store.setValue("generation/temperature", "hot");
        store.setValue("limits/textCharacters", 5000);
        const Settings loaded = Settings::load(store);
        // A non-number keeps its default instead of silently becoming a limit of zero.
        QCOMPARE(loaded.queueLimit, Settings{}.queueLimit);
        QCOMPARE(loaded.temperature, Settings{}.temperature);
        QCOMPARE(loaded.textLimit, 5000);
    }

    // Every numeric setting (issue 18, point 6), stored as NaN, an infinity, a number too large for
    // a double or nothing: the default is kept and one sentence says so. The defaults are those
    // docs/configuration.md gives.
    void nonFiniteNumbersAreRefusedWithASentence_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("stored");
        QTest::addColumn<QString>("sentence");
        const QString finite = "a finite number", whole = "a whole number";
        const QList<std::tuple<QString, QString, QString>> numeric{
            {"model/threads", whole, "0"},
            {"model/idleUnloadMinutes", whole, "15"},
            {"generation/temperature", finite, "0.9"},
            {"generation/topK", whole, "50"},
            {"generation/maxSeconds", finite, "30"},
            {"generation/pieceStreams", whole, "1"},
            {"generation/jobStreams", whole, "4"},
            {"limits/queue", whole, "100"},
            {"limits/textCharacters", whole, "10000"},
            {"limits/audioSeconds", whole, "600"},
            {"limits/cacheMegabytes", whole, "2048"},
            {"audio/loudnessTargetLufs", finite, "-16"},
            {"api/port", whole, "8765"},
        };
        for (const auto& [key, kind, fallback] : numeric)
            for (const char* value : {"nan", "NaN", "inf", "-inf", "+infinity", "1e999", ""})
                QTest::addRow("%s=%s", qPrintable(key), value)
                    << key << QString(value)
                    << QStringLiteral("The setting %1 is '%2', which is not %3; the default %4 is used instead.")
                           .arg(key, QString(value), kind, fallback);
    }
    void nonFiniteNumbersAreRefusedWithASentence() {
        QFETCH(QString, key);
        QFETCH(QString, stored);
        QFETCH(QString, sentence);
        QTemporaryDir dir;
        QSettings store(dir.filePath("s.ini"), QSettings::IniFormat);
        store.setValue(key, stored);
        store.setValue("log/level", "debug");
        // Every setting keeps its default; the good value beside the bad one is still read.
        Settings expected;
        expected.logLevel = "debug";
        QVERIFY(Settings::load(store) == expected);
        QCOMPARE(unusableStoredSettings(store), QStringList{sentence});
    }

    // Numbers typed by a user (options, request fields): NaN and infinity in every spelling
    // QString::toDouble accepts are refused with the sentence, like a value out of range.
    void parseNumbers_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        for (const char* bad : {"nan", "NaN", "-nan", "inf", "-inf", "+inf", "infinity", "-Infinity", "1e999", "",
                                "  ", "0.5x", "3", "-0.01"})
            QTest::addRow("refused '%s'", bad) << QString(bad) << false;
        for (const char* good : {"0.01", "1", " 2 ", "1.5e0", "0.9"})
            QTest::addRow("accepted '%s'", good) << QString(good) << true;
    }
    void parseNumbers() {
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        const QString sentence = test::errorSentenceOf([&] { parseFiniteNumber(text, 0.01, 2.0, "--temperature"); });
        if (accepted) {
            QCOMPARE(sentence, QString());
            QCOMPARE(parseFiniteNumber(text, 0.01, 2.0, "--temperature"), text.trimmed().toDouble());
        } else {
            QCOMPARE(sentence, QStringLiteral("--temperature must be a number from 0.01 to 2, not '%1'.").arg(text));
            // The user's input, not a defect: exit code 2 in the CLI, 422 over the API.
            QCOMPARE(test::errorKindOf([&] { parseFiniteNumber(text, 0.01, 2.0, "--temperature"); }), ErrorKind::InvalidInput);
        }
        const bool whole = accepted && text.trimmed().toDouble() == std::floor(text.trimmed().toDouble()) &&
                           !text.contains('.') && !text.contains('e');
        QCOMPARE(test::errorSentenceOf([&] { parseWholeNumber(text, 1, 2, "--topk"); }).isEmpty(), whole);
    }

    // Seeds span the whole unsigned 64-bit range; anything else is refused as invalid input.
    void parseSeeds_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("seed");   // empty: refused
        for (const char* bad : {"nan", "inf", "-inf", "1e999", "", "-1", "-0", "1.5", "0x10", "18446744073709551616"})
            QTest::addRow("refused '%s'", bad) << QString(bad) << QString();
        QTest::newRow("zero") << "0" << "0";
        QTest::newRow("2^64 - 1") << "18446744073709551615" << "18446744073709551615";
        QTest::newRow("spaces around") << " 7 " << "7";
    }
    void parseSeeds() {
        QFETCH(QString, text);
        QFETCH(QString, seed);
        if (seed.isEmpty()) {
            QCOMPARE(test::errorSentenceOf([&] { parseSeed(text, "--seed"); }),
                     QStringLiteral("--seed must be a whole number from 0 to 18446744073709551615, not '%1'.").arg(text));
            QCOMPARE(test::errorKindOf([&] { parseSeed(text, "--seed"); }), ErrorKind::InvalidInput);
        } else {
            QCOMPARE(QString::number(parseSeed(text, "--seed")), seed);
        }
    }

    void environmentOverridesPaths() {
        QTemporaryDir dir;
        qputenv("ECHOFORGE_DATA_DIR", dir.path().toLocal8Bit());
        qputenv("ECHOFORGE_MODEL_DIR", dir.filePath("m").toLocal8Bit());
        const AppPaths p = AppPaths::resolveDefault();
        QCOMPARE(p.dataDir, QDir(dir.path()).absolutePath());
        QVERIFY(p.voicesDir.startsWith(p.dataDir));
        QVERIFY(p.historyDir.startsWith(p.dataDir));
        QVERIFY(p.cacheDir.startsWith(p.dataDir));
        QCOMPARE(p.modelsDir, dir.filePath("m"));
        QVERIFY(p.settingsFile.startsWith(p.dataDir));
        p.ensureExist();
        QVERIFY(QDir(p.voicesDir).exists());
    }

    void settingsModelDirUsedWithoutEnvironment() {
        QTemporaryDir dir;
        qputenv("ECHOFORGE_DATA_DIR", dir.path().toLocal8Bit());
        qunsetenv("ECHOFORGE_MODEL_DIR");
        Settings s;
        s.modelDir = dir.filePath("elsewhere");
        QCOMPARE(AppPaths::resolve(s).modelsDir, dir.filePath("elsewhere"));
    }

    // Without ECHOFORGE_DATA_DIR each kind of file goes where the XDG base directory
    // specification puts it (the folders below are the specification's, not the code's).
    void xdgFoldersWithoutOverride() {
        QTemporaryDir dir;
        const QByteArray keep = qgetenv("ECHOFORGE_DATA_DIR");
        qunsetenv("ECHOFORGE_DATA_DIR");
        qunsetenv("ECHOFORGE_MODEL_DIR");
        for (const char* var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
            qputenv(var, dir.filePath(QString::fromLatin1(var).toLower()).toLocal8Bit());
        const AppPaths p = AppPaths::resolveDefault();
        qputenv("ECHOFORGE_DATA_DIR", keep);
        QCOMPARE(p.settingsFile, dir.filePath("xdg_config_home/echoforge/settings.ini"));
        QCOMPARE(p.voicesDir, dir.filePath("xdg_data_home/echoforge/voices"));
        QCOMPARE(p.historyDir, dir.filePath("xdg_data_home/echoforge/history"));
        QCOMPARE(p.modelsDir, dir.filePath("xdg_data_home/echoforge/models"));
        QCOMPARE(p.cacheDir, dir.filePath("xdg_cache_home/echoforge"));
        QCOMPARE(p.logsDir, dir.filePath("xdg_state_home/echoforge/logs"));
        QCOMPARE(p.openSettings()->fileName(), p.settingsFile);
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
