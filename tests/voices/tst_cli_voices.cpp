// echoforge-cli voices / say / clone end to end: the files they write, what they print, and the
// one-sentence error with a non-zero exit for each bad input.

#include <sysexits.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/audio/loudness.h"

using namespace echoforge;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestCliVoices : public QObject {
    Q_OBJECT
    QTemporaryDir home_;   // ECHOFORGE_DATA_DIR for every run: user characters land here
    QTemporaryDir files_;

    Run cli(const QStringList& args) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ECHOFORGE_DATA_DIR", home_.path());
        env.insert("ECHOFORGE_MODEL_DIR", home_.filePath("models"));   // empty: no CSM
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-cli"), args);
        if (!p.waitForFinished(120000))
            return {};
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    // A failing run: non-zero exit and exactly one line on standard error, containing `expected`.
    void expectError(const QStringList& args, const QString& expected) {
        const Run r = cli(args);
        // The exact code of each kind is tst_cli_exit_codes's to check; here: it failed, and said why.
        QVERIFY2(r.exitCode > 0, qPrintable(QString("exit %1 for %2").arg(r.exitCode).arg(args.join(' '))));
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);
    }

    QJsonArray voicesJson(const QStringList& extra = {}) {
        const Run r = cli(QStringList{"voices", "--json"} + extra);
        if (r.exitCode != 0)
            return {};
        return QJsonDocument::fromJson(r.out.toUtf8()).array();
    }

    static QString folderIsAFile(const QString& path) {
        return QStringLiteral("echoforge-cli: %1 is a file, but EchoForge needs a folder there; move the file away (or "
                              "point ECHOFORGE_DATA_DIR elsewhere) and try again.").arg(path);
    }

    QString writeText(const QString& name, const QByteArray& bytes) {
        QFile f(files_.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(bytes);
        return f.fileName();
    }

private Q_SLOTS:
    void voicesListsAndFilters() {
        const QJsonArray all = voicesJson();
        QVERIFY(all.size() >= 12);
        // Each filtered list is checked non-empty first: a loop over nothing would prove nothing.
        const QJsonArray female = voicesJson({"--gender", "female"});
        QVERIFY(!female.isEmpty());
        for (const auto& v : female)
            QCOMPARE(v.toObject()["gender"].toString(), QStringLiteral("female"));
        QVERIFY(female.size() < all.size());
        const QJsonArray warmNarrators = voicesJson({"--style", "warm,narrator"});
        QVERIFY(!warmNarrators.isEmpty());
        for (const auto& v : warmNarrators) {
            const QJsonArray styles = v.toObject()["styles"].toArray();
            QVERIFY(styles.contains("warm") && styles.contains("narrator"));
        }
        const QJsonArray robot = voicesJson({"--search", "robot"});
        QCOMPARE(robot.size(), 1);
        QCOMPARE(robot[0].toObject()["id"].toString(), QStringLiteral("bolt"));
        QCOMPARE(robot[0].toObject()["engine"].toString(), QStringLiteral("espeak"));

        const Run table = cli({"voices"});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.startsWith("ID"));
        QCOMPARE(table.out.trimmed().count('\n'), int(all.size()));
        expectError({"voices", "--gender", "robot"}, "not one of any, female, male or neutral");
    }

    void sayWritesSpeech_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("wav") << "hello.wav";
        QTest::newRow("flac") << "hello.flac";
    }
    void sayWritesSpeech() {
        QFETCH(QString, name);
        const QString out = files_.filePath(name);
        const QString text = "Good morning. This sentence has exactly eight words in it.";
        const Run r = cli({"say", "--text", text, "--voice", "harold", "-o", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(out));
        QVERIFY(r.out.contains("eSpeak NG"));

        const AudioBuffer audio = readAudio(out);
        QCOMPARE(audio.sampleRate, 24000);
        QCOMPARE(audio.channels, 1);
        // 10 words at Harold's 140 words per minute: about 4.3 s; allow pace and pauses.
        const double expected = 60.0 * double(text.split(' ').size()) / 140;
        QVERIFY2(audio.durationSeconds() > 0.6 * expected && audio.durationSeconds() < 1.8 * expected,
                 qPrintable(QString::number(audio.durationSeconds())));
        QVERIFY(rmsAmplitude(audio) > 0.02);
        // At -16 LUFS with the true peak under -1 dBTP: eSpeak NG's high peaks are limited.
        const LoudnessMeasurement m = measureLoudness(audio);
        QVERIFY2(std::abs(m.integratedLufs - kDefaultLoudnessLufs) < 0.5 && m.truePeakDbtp <= kDefaultPeakCeilingDbtp + 0.05,
                 qPrintable(QString("%1 LUFS, %2 dBTP").arg(m.integratedLufs).arg(m.truePeakDbtp)));
    }

    void sayFromFile() {
        const QString text = writeText("story.txt", "Once upon a time, there was a tiny robot.\n");
        const QString out = files_.filePath("story.wav");
        const Run r = cli({"say", "--file", text, "--voice", "bolt", "-o", out, "--engine", "espeak", "--seed", "7"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(readAudio(out).durationSeconds() > 1.0);
    }

    void sayRefusesBadInput() {
        const QString out = files_.filePath("bad.wav");
        expectError({"say", "--text", "", "--voice", "ada", "-o", out}, "There is no text");
        expectError({"say", "--text", "   \t ", "--voice", "ada", "-o", out}, "There is no text");
        expectError({"say", "--text", QString::fromUtf8("😀🎉"), "--voice", "ada", "-o", out}, "only emoji or symbols");
        const QString megabyte = writeText("big.txt", QByteArray(1 << 20, 'a'));
        expectError({"say", "--file", megabyte, "--voice", "ada", "-o", out}, "over the limit of 10000");
        expectError({"say", "--text", "Hello.", "--voice", "nobody", "-o", out}, "There is no character 'nobody'");
        expectError({"say", "--text", "Hello.", "--voice", "ada", "--engine", "csm", "-o", out}, "CSM model is not installed");
        expectError({"say", "--text", "Hello.", "--voice", "ada", "--engine", "piper", "-o", out}, "no engine 'piper'");
        expectError({"say", "--text", "Hello.", "--voice", "ada", "-o", files_.filePath("x.mp3")}, ".wav or .flac");
        expectError({"say", "--text", "Hello.", "--voice", "ada", "--temperature", "9", "-o", out}, "--temperature must be");
        // NaN, infinities, 1e999 and empty values of every numeric option: tst_cli_exit_codes.
        expectError({"say", "--text", "Hello.", "--voice", "ada", "--topk", "2.5", "-o", out},
                    "--topk must be a whole number from 1 to 2051, not '2.5'");
        expectError({"say", "--voice", "ada"}, "--text or --file");
        expectError({"say", "--file", files_.filePath("nothing.txt"), "--voice", "ada"}, "does not exist");
        QVERIFY(!QFileInfo::exists(out));
    }

    void cloneAddsACharacterAtOnce() {
        // A clip of speech: eSpeak NG made via `say`, 6 s or so.
        const QString clip = files_.filePath("me.flac");
        const Run made = cli({"say", "--text", "Hello, this is my own voice. I am reading a few sentences, slowly "
                                               "and clearly, so that there is enough speech to clone.",
                              "--voice", "marcus", "-o", clip});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        const Run r = cli({"clone", "--name", "Sam Test", "--audio", clip, "--transcript", "Hello, this is my own voice.",
                           "--gender", "male", "--style", "calm,deep"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("sam-test"));
        QVERIFY(r.err.contains("cannot clone"));   // no CSM here: the user is told

        const QJsonArray found = voicesJson({"--search", "Sam Test"});
        QCOMPARE(found.size(), 1);
        const QJsonObject sam = found[0].toObject();
        QCOMPARE(sam["built_in"].toBool(), false);
        QCOMPARE(sam["cloned"].toBool(), true);
        QCOMPARE(sam["engine"].toString(), QString());   // only CSM can speak it
        QVERIFY(sam["styles"].toArray().contains("deep"));
        expectError({"say", "--text", "Hi.", "--voice", "sam-test", "-o", files_.filePath("sam.wav")}, "cannot clone");
    }

    void cloneRefusesBadClips() {
        const QString shortClip = files_.filePath("short.wav");
        writeAudio(shortClip, AudioBuffer{std::vector<float>(4800, 0.1f), 24000, 1});   // 0.2 s
        expectError({"clone", "--name", "Zyx Reject", "--audio", shortClip, "--transcript", "Hi."}, "is only 0.2 s long");
        const QString longClip = files_.filePath("long.wav");
        AudioBuffer tenMinutes{std::vector<float>(std::size_t(600 * 8000)), 8000, 1};
        for (std::size_t i = 0; i < tenMinutes.samples.size(); ++i)
            tenMinutes.samples[i] = 0.3f * float(std::sin(0.2 * double(i)));
        writeAudio(longClip, tenMinutes);
        expectError({"clone", "--name", "Zyx Reject", "--audio", longClip, "--transcript", "Hi."}, "is 600 s long");
        expectError({"clone", "--name", "Zyx Reject", "--audio", writeText("empty.wav", {}), "--transcript", "Hi."}, "is empty (0 bytes)");
        expectError({"clone", "--name", "Zyx Reject", "--audio", writeText("words.wav", "just words"), "--transcript", "Hi."},
                    "is not an audio file");
        expectError({"clone", "--name", "Zyx Reject", "--audio", files_.filePath("absent.wav"), "--transcript", "Hi."}, "does not exist");
        expectError({"clone", "--audio", shortClip, "--transcript", "Hi."}, "--name is required");
        QCOMPARE(voicesJson({"--search", "Zyx"}).size(), 0);
    }

    void dataFolderThatIsAFileIsRefused() {
        QTemporaryDir dir;
        const QString plainFile = dir.filePath("echoforge-data");
        QFile f(plainFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a folder");
        f.close();
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ECHOFORGE_DATA_DIR", plainFile);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-cli"), {"voices"});
        QVERIFY(p.waitForFinished(60000));
        // One sentence, the whole of standard error, and the exit code of an Io error (sysexits.h).
        QCOMPARE(QString::fromUtf8(p.readAllStandardError()).trimmed(), folderIsAFile(plainFile));
        QCOMPARE(p.exitCode(), EX_IOERR);
        QVERIFY(p.readAllStandardOutput().isEmpty());   // no list as if nothing were wrong

        // The voices folder alone being a file: refused the same way, not listed as if it were empty.
        const QString voices = QDir(home_.path()).filePath("voices");
        QVERIFY(QDir(voices).removeRecursively());
        QFile v(voices);
        QVERIFY(v.open(QIODevice::WriteOnly));
        v.close();
        const Run r = cli({"voices", "--json"});
        QVERIFY(QFile::remove(voices));
        QCOMPARE(r.err.trimmed(), folderIsAFile(voices));
        QCOMPARE(r.exitCode, EX_IOERR);
        QVERIFY(r.out.isEmpty());
    }

    void settingThatIsNotANumberIsNamed() {
        const QString ini = QDir(home_.path()).filePath("settings.ini");
        QFile f(ini);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("[generation]\ntemperature=nan\nmaxSeconds=inf\n");
        f.close();
        const Run r = cli({"voices", "--json"});
        QVERIFY(QFile::remove(ini));
        QCOMPARE(r.exitCode, 0);   // the defaults are used; the command still works
        QVERIFY2(r.err.contains("The setting generation/temperature is 'nan', which is not a finite number; the default "
                                "0.9 is used instead."), qPrintable(r.err));
        QVERIFY2(r.err.contains("The setting generation/maxSeconds is 'inf', which is not a finite number; the default "
                                "30 is used instead."), qPrintable(r.err));
    }

    void brokenUserCharacterIsReportedAndSkipped() {
        const QString folder = QDir(home_.path()).filePath("voices/broken");
        QVERIFY(QDir().mkpath(folder));
        QFile json(folder + "/character.json");
        QVERIFY(json.open(QIODevice::WriteOnly));
        json.write(R"({"schema": 1, "id": "broken", "name": "Broken", "gender": 3, "age_range": "20s", "sample_text": "Hi."})");
        json.close();
        const Run r = cli({"voices", "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(folder + "/character.json: field 'gender' must be a string"), qPrintable(r.err));
        QVERIFY(QJsonDocument::fromJson(r.out.toUtf8()).array().size() >= 12);
        QVERIFY(!r.out.contains("\"broken\""));
        QVERIFY(QDir(folder).removeRecursively());
    }
};

QTEST_GUILESS_MAIN(TestCliVoices)
#include "tst_cli_voices.moc"
