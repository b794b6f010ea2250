// CharacterModel and CharacterFilterModel: consistent under QAbstractItemModelTester, and each
// filter selects exactly the characters it should.

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/voices/character_model.h"
#include "core/voices/voice_library.h"

using namespace echoforge;

namespace {

struct Fixture {
    const char* id;
    const char* gender;
    const char* language;
    const char* styles;
    const char* description;
};

// A small library whose right answers are known for every filter.
constexpr Fixture kFixtures[] = {
    {"amy", "female", "en-GB", R"(["warm", "narrator"])", "Reads audiobooks."},
    {"bea", "female", "en-US", R"(["warm"])", "A friendly host."},
    {"cal", "male", "en-GB", R"(["narrator", "deep"])", "Trailer voice."},
    {"dev", "male", "fr", R"(["energetic"])", "Sports commentator."},
    {"eli", "neutral", "en", R"(["calm", "warm", "narrator"])", "Meditations."},
};

QStringList ids(const QAbstractItemModel& model) {
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data(CharacterModel::IdRole).toString();
    return out;
}

} // namespace

class TestCharacterModel : public QObject {
    Q_OBJECT
    QTemporaryDir builtIn_, user_;

private Q_SLOTS:
    void initTestCase() {
        for (const Fixture& f : kFixtures) {
            QDir().mkpath(builtIn_.filePath(f.id));
            QFile file(builtIn_.filePath(QStringLiteral("%1/character.json").arg(f.id)));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QStringLiteral(R"({"schema": 1, "id": "%1", "name": "%2", "gender": "%3", "age_range": "30s",
                "language": "%4", "styles": %5, "description": "%6", "sample_text": "Hi.", "espeak": {"voice": "en-us"}})")
                           .arg(f.id, QString(f.id).toUpper(), f.gender, f.language, f.styles, f.description).toUtf8());
        }
    }

    void modelIsConsistent() {
        VoiceLibrary library(builtIn_.path(), user_.path());
        CharacterModel model(&library);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        CharacterFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QCOMPARE(model.rowCount(), 5);
        const QModelIndex amy = model.index(model.rowOf("amy"), 0);
        QCOMPARE(amy.data(Qt::DisplayRole).toString(), QStringLiteral("AMY"));
        QCOMPARE(amy.data(CharacterModel::StylesRole).toStringList(), (QStringList{"warm", "narrator"}));
        QCOMPARE(amy.data(CharacterModel::LanguageRole).toString(), QStringLiteral("en-GB"));
        QCOMPARE(amy.data(CharacterModel::BuiltInRole).toBool(), true);
        QCOMPARE(amy.data(CharacterModel::SampleTextRole).toString(), QStringLiteral("Hi."));
        QCOMPARE(amy.data(CharacterModel::EngineRole).toString(), QStringLiteral("espeak"));
        QVERIFY(model.roleNames().values().contains("avatarPath"));

        // Switching engines announces the change for every row.
        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        model.setActiveEngine("csm");
        QCOMPARE(dataChanged.count(), 1);
        QCOMPARE(amy.data(CharacterModel::EngineRole).toString(), QStringLiteral("csm"));

        // A character added to the library shows up (the model resets), and the testers stay happy.
        Character draft = *library.find("bea");
        draft.name = "Zed";
        library.addUserCharacter(draft);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(filter.rowCount(), 6);
        QCOMPARE(ids(filter).last(), QStringLiteral("zed"));   // user characters after built-in ones
        library.removeUserCharacter("zed");
        QCOMPARE(model.rowCount(), 5);
    }

    void filtersSelectTheRightOnes_data() {
        QTest::addColumn<QString>("gender");
        QTest::addColumn<QStringList>("styles");
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("search");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("everyone") << "any" << QStringList{} << "" << "" << QStringList{"amy", "bea", "cal", "dev", "eli"};
        QTest::newRow("female") << "female" << QStringList{} << "" << "" << QStringList{"amy", "bea"};
        QTest::newRow("male") << "MALE" << QStringList{} << "" << "" << QStringList{"cal", "dev"};
        QTest::newRow("neutral") << "neutral" << QStringList{} << "" << "" << QStringList{"eli"};
        QTest::newRow("one style") << "" << QStringList{"warm"} << "" << "" << QStringList{"amy", "bea", "eli"};
        QTest::newRow("every style required") << "" << QStringList{"warm", "narrator"} << "" << "" << QStringList{"amy", "eli"};
        QTest::newRow("style and gender") << "female" << QStringList{"narrator"} << "" << "" << QStringList{"amy"};
        QTest::newRow("language family") << "" << QStringList{} << "en" << "" << QStringList{"amy", "bea", "cal", "eli"};
        QTest::newRow("exact language") << "" << QStringList{} << "en-GB" << "" << QStringList{"amy", "cal"};
        QTest::newRow("search description") << "" << QStringList{} << "" << "AUDIOBOOK" << QStringList{"amy"};
        QTest::newRow("search style") << "" << QStringList{} << "" << "energ" << QStringList{"dev"};
        QTest::newRow("nothing matches") << "neutral" << QStringList{"deep"} << "" << "" << QStringList{};
    }
    void filtersSelectTheRightOnes() {
        QFETCH(QString, gender);
        QFETCH(QStringList, styles);
        QFETCH(QString, language);
        QFETCH(QString, search);
        QFETCH(QStringList, expected);
        VoiceLibrary library(builtIn_.path(), {});
        CharacterModel model(&library);
        CharacterFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setGender(gender);
        filter.setStyles(styles);
        filter.setLanguage(language);
        filter.setSearchText(search);
        QCOMPARE(ids(filter), expected);
        // Clearing every filter brings everyone back.
        filter.setGender("any");
        filter.setStyles({});
        filter.setLanguage({});
        filter.setSearchText({});
        QCOMPARE(filter.rowCount(), 5);
    }

    void clonedVoiceNeedsCsm() {
        VoiceLibrary library(builtIn_.path(), user_.path());
        CharacterModel model(&library);
        Character draft = *library.find("amy");
        draft.name = "Clone";
        draft.espeak.voice.clear();
        library.addUserCharacter(draft);
        const QModelIndex clone = model.index(model.rowOf("clone"), 0);
        QCOMPARE(clone.data(CharacterModel::EngineRole).toString(), QString());
        model.setActiveEngine("csm");
        QCOMPARE(clone.data(CharacterModel::EngineRole).toString(), QStringLiteral("csm"));
        library.removeUserCharacter("clone");
    }
};

QTEST_GUILESS_MAIN(TestCharacterModel)
#include "tst_character_model.moc"
