// character.json schema 1: a good file round-trips; each broken field is named with its file.

#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/voices/character_json.h"

using namespace echoforge;

namespace {

const char* kGood = R"({
  "schema": 1, "id": "kim", "name": "Kim", "gender": "female", "age_range": "30s",
  "language": "en-GB", "accent": "British", "styles": ["Warm", "calm"],
  "description": "Test voice.", "sample_text": "Hello there.",
  "csm": {"speaker_id": 3, "segments": [{"audio": "ref.wav", "transcript": "Hi."}]},
  "espeak": {"voice": "en-gb-x-rp", "variant": "f2", "pitch": 60, "rate": 170}
})";

} // namespace

class TestCharacterJson : public QObject {
    Q_OBJECT
    QTemporaryDir root_;
    QString folder_;

    QString parseError(const QByteArray& json) {
        try {
            parseCharacterJson(json, folder_, folder_ + "/character.json", false);
        } catch (const Error& e) {
            return e.sentence();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase() {
        folder_ = root_.filePath("kim");
        QVERIFY(QDir().mkpath(folder_));
        QFile ref(folder_ + "/ref.wav");
        QVERIFY(ref.open(QIODevice::WriteOnly));
    }

    void readsEveryField() {
        const Character c = parseCharacterJson(kGood, folder_, "character.json", true);
        QCOMPARE(c.id, QStringLiteral("kim"));
        QCOMPARE(c.name, QStringLiteral("Kim"));
        QCOMPARE(c.gender, QStringLiteral("female"));
        QCOMPARE(c.ageRange, QStringLiteral("30s"));
        QCOMPARE(c.language, QStringLiteral("en-GB"));
        QCOMPARE(c.styles, (QStringList{"warm", "calm"}));
        QCOMPARE(c.csmSpeakerId, 3);
        QCOMPARE(c.segments.size(), 1);
        QCOMPARE(c.segments[0].audioPath, folder_ + "/ref.wav");
        QCOMPARE(c.segments[0].speakerId, 3);   // defaults to the character's speaker id
        QCOMPARE(c.espeak.voice, QStringLiteral("en-gb-x-rp"));
        QCOMPARE(c.espeak.variant, QStringLiteral("f2"));
        QCOMPARE(c.espeak.pitch, 60);
        QCOMPARE(c.espeak.rate, 170);
        QVERIFY(c.builtIn);
    }

    void roundTrips() {
        const Character c = parseCharacterJson(kGood, folder_, "character.json", false);
        const Character again = parseCharacterJson(characterToJson(c), folder_, "character.json", false);
        QCOMPARE(again.name, c.name);
        QCOMPARE(again.styles, c.styles);
        QCOMPARE(again.segments[0].audioPath, c.segments[0].audioPath);
        QCOMPARE(again.espeak.pitch, c.espeak.pitch);
        QVERIFY(characterToJson(c).contains("\"audio\": \"ref.wav\""));   // stored relative to the folder
    }

    void withoutEspeakOnlyCsmSpeaks() {
        QByteArray json = kGood;
        json.replace(R"("espeak": {"voice": "en-gb-x-rp", "variant": "f2", "pitch": 60, "rate": 170})", R"("x": 0)");
        QVERIFY(parseCharacterJson(json, folder_, "character.json", false).espeak.voice.isEmpty());
    }

    void brokenFieldIsNamed_data() {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QString>("expected");
        QTest::newRow("schema missing") << QByteArray(R"("schema": 1,)") << QByteArray() << "field 'schema' is missing";
        QTest::newRow("schema newer") << QByteArray(R"("schema": 1)") << QByteArray(R"("schema": 2)") << "field 'schema' is 2";
        QTest::newRow("schema as text") << QByteArray(R"("schema": 1)") << QByteArray(R"("schema": "1")") << "field 'schema' must be a whole number";
        QTest::newRow("name missing") << QByteArray(R"("name": "Kim",)") << QByteArray() << "field 'name' is missing";
        QTest::newRow("name a number") << QByteArray(R"("name": "Kim")") << QByteArray(R"("name": 7)") << "field 'name' must be a string, not a number";
        QTest::newRow("name empty") << QByteArray(R"("name": "Kim")") << QByteArray(R"("name": "  ")") << "field 'name' is empty";
        QTest::newRow("id bad") << QByteArray(R"("id": "kim")") << QByteArray(R"("id": "Kim Smith")") << "field 'id' is 'Kim Smith'";
        QTest::newRow("id not folder") << QByteArray(R"("id": "kim")") << QByteArray(R"("id": "tim")") << "but the folder is named 'kim'";
        QTest::newRow("gender unknown") << QByteArray(R"("gender": "female")") << QByteArray(R"("gender": "robot")") << "field 'gender' is 'robot'";
        QTest::newRow("age missing") << QByteArray(R"("age_range": "30s",)") << QByteArray() << "field 'age_range' is missing";
        QTest::newRow("styles a string") << QByteArray(R"(["Warm", "calm"])") << QByteArray(R"("warm")") << "field 'styles' must be a list of strings";
        QTest::newRow("styles hold a number") << QByteArray(R"(["Warm", "calm"])") << QByteArray(R"(["warm", 3])") << "field 'styles' must hold only strings";
        QTest::newRow("sample missing") << QByteArray(R"("sample_text": "Hello there.",)") << QByteArray() << "field 'sample_text' is missing";
        QTest::newRow("avatar absent") << QByteArray(R"("description")") << QByteArray(R"("avatar": "face.svg", "description")") << "field 'avatar' names";
        QTest::newRow("segment audio absent") << QByteArray("ref.wav") << QByteArray("gone.wav") << "field 'csm.segments[0].audio' names";
        QTest::newRow("segment transcript missing") << QByteArray(R"(, "transcript": "Hi.")") << QByteArray() << "field 'csm.segments[0].transcript' is missing";
        QTest::newRow("csm a list") << QByteArray(R"("csm": {"speaker_id": 3, "segments": [{"audio": "ref.wav", "transcript": "Hi."}]})") << QByteArray(R"("csm": [])") << "field 'csm' must be an object, not a list";
        QTest::newRow("pitch too high") << QByteArray(R"("pitch": 60)") << QByteArray(R"("pitch": 160)") << "field 'espeak.pitch' must be between 0 and 100";
        QTest::newRow("rate as text") << QByteArray(R"("rate": 170)") << QByteArray(R"("rate": "fast")") << "field 'espeak.rate' must be a whole number, not a string";
        QTest::newRow("espeak voice missing") << QByteArray(R"("voice": "en-gb-x-rp", )") << QByteArray() << "field 'espeak.voice' is missing";
        QTest::newRow("not json") << QByteArray(R"("schema": 1,)") << QByteArray(R"("schema": 1,,)") << "not valid JSON";
    }
    void brokenFieldIsNamed() {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QString, expected);
        QByteArray json = kGood;
        QVERIFY2(json.contains(from), from.constData());
        json.replace(from, to);
        const QString error = parseError(json);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.startsWith(folder_ + "/character.json"), qPrintable(error));
    }

    void notAnObject() {
        QVERIFY(parseError("[1, 2]").contains("must hold one JSON object"));
    }

    void idsFromNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("id");
        QTest::newRow("plain") << "Ada" << "ada";
        QTest::newRow("accents and apostrophe") << QString::fromUtf8("Émile O'Hara") << "emile-o-hara";
        QTest::newRow("symbols only") << QString::fromUtf8("★★") << "character";
        QTest::newRow("spaces at ends") << "  Big  Bob  " << "big-bob";
    }
    void idsFromNames() {
        QFETCH(QString, name);
        QFETCH(QString, id);
        QCOMPARE(characterIdFromName(name), id);
        QVERIFY(isValidCharacterId(characterIdFromName(name)));
    }
};

QTEST_GUILESS_MAIN(TestCharacterJson)
#include "tst_character_json.moc"
