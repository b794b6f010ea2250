// The voice commands of echoforge-cli, run as a user runs them (a real process, its own data
// folder, the tiny CSM model folder):
//   normalize  each line of standard input comes out as its spoken form, one line for one, as
//              the corpus's independent sources read it; --voice applies the character's lexicon;
//   audition   --count N writes N different takes of the sample line;
//   anchor     --take keeps one (stored in the data folder, shown afterwards), --reset forgets it;
//              a take that is not audio and a character with its own clip are refused with a
//              sentence and a non-zero exit.

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "tiny_model_folder.h"
#include "watermark_margin.h"

using namespace echoforge;

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
};

QString comparable(const QString& s) { return s.toLower().simplified(); }

} // namespace

class TestCliVoiceTools : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString dataDir() const { return dir_.filePath("data"); }

    Run cli(const QStringList& args, const QByteArray& input = {}, int timeoutMs = 300000) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ECHOFORGE_DATA_DIR", dataDir());
        env.insert("ECHOFORGE_MODEL_DIR", dir_.filePath("models"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-cli"), args);
        if (!p.waitForStarted()) return {};
        if (!input.isEmpty()) p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            return {};
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

private Q_SLOTS:
    void initTestCase() {
        const QString error = testing::writeTinyModelFolder(dir_.filePath("models"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void normalizeReadsEachLineAsTheCorpusDoes() {
        // The first 40 cases of the corpus (each expected reading from the source on its line).
        QFile corpus(QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/normalizer/corpus.tsv"));
        QVERIFY(corpus.open(QIODevice::ReadOnly));
        QStringList inputs, expected;
        while (!corpus.atEnd() && inputs.size() < 40) {
            const QString line = QString::fromUtf8(corpus.readLine()).chopped(1);
            if (line.isEmpty() || line.startsWith(QLatin1String("# "))) continue;
            const QStringList fields = line.split('\t');
            inputs << fields[0];
            expected << fields[1];
        }
        const Run r = cli({"normalize"}, (inputs.join('\n') + '\n').toUtf8());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), inputs.size());
        for (int i = 0; i < lines.size(); ++i)
            QVERIFY2(comparable(lines[i]) == comparable(expected[i]),
                     qPrintable(QStringLiteral("'%1' -> '%2', expected '%3'").arg(inputs[i], lines[i], expected[i])));
    }

    void normalizeAppliesTheCharactersLexicon() {
        // Written as a user's file would be (docs/characters.md): the library's entry, and Ada's own
        // entry for the same word, which wins for Ada.
        const QDir lexicons(QDir(dataDir()).filePath("lexicons"));
        QVERIFY(QDir().mkpath(lexicons.filePath("voices")));
        const auto write = [](const QString& path, const QJsonObject& entries) {
            QFile f(path);
            return f.open(QIODevice::WriteOnly) &&
                   f.write(QJsonDocument(QJsonObject{{"schema", 1}, {"entries", entries}}).toJson()) > 0;
        };
        QVERIFY(write(lexicons.filePath("library.json"), {{"Nguyen", "win"}, {"SQL", "sequel"}}));
        QVERIFY(write(lexicons.filePath("voices/ada.json"), {{"SQL", "ess queue ell"}}));

        const QByteArray input = "Nguyen knows SQL.\n";
        const Run library = cli({"normalize"}, input);
        QVERIFY2(library.exitCode == 0, qPrintable(library.err));
        QCOMPARE(comparable(library.out), QStringLiteral("win knows sequel."));
        const Run ada = cli({"normalize", "--voice", "ada"}, input);
        QVERIFY2(ada.exitCode == 0, qPrintable(ada.err));
        QCOMPARE(comparable(ada.out), QStringLiteral("win knows ess queue ell."));

        const Run unknown = cli({"normalize", "--voice", "no-such-voice"}, input);
        QVERIFY(unknown.exitCode > 0);
        QVERIFY2(unknown.err.contains("no-such-voice"), qPrintable(unknown.err));
        QFile::remove(lexicons.filePath("library.json"));
        QFile::remove(lexicons.filePath("voices/ada.json"));
    }

    // echoforge-cli say --engine csm, as a process: the file it writes carries the mark with the
    // margin of watermark_margin.h.
    void sayWithCsmWritesAMarkedTake() {
        const QString out = dir_.filePath("said.wav");
        const Run say = cli({"say", "--engine", "csm", "--voice", "ada", "--seed", "7", "--max-seconds", "6", "--text",
                             "Hello there, this is a test of the command line.", "-o", out});
        QVERIFY2(say.exitCode == 0, qPrintable(say.out + say.err));
        const AudioBuffer take = readAudio(out, ChannelMode::MixToMono);
        QCOMPARE(take.sampleRate, kOutputSampleRate);
        QVERIFY2(take.durationSeconds() >= 3.0, qPrintable(QString::number(take.durationSeconds())));
        QCOMPARE(testing::markMarginShortfall(take.samples), QString());

        // ada's first CSM request kept its voice (`anchor` says "first use"); forgotten again,
        // so that the audition below starts with no kept voice, as a new user's would.
        const Run kept = cli({"anchor", "--voice", "ada"});
        QVERIFY2(kept.out.contains("\tfirst use\t"), qPrintable(kept.out + kept.err));
        QCOMPARE(cli({"anchor", "--voice", "ada", "--reset"}).exitCode, 0);
        QVERIFY(!QFileInfo::exists(QDir(dataDir()).filePath("anchors/ada/anchor.json")));
    }

    void auditionWritesDifferentTakesAndAnchorKeepsOne() {
        const QString takes = dir_.filePath("takes");
        const Run audition = cli({"audition", "--voice", "ada", "--count", "2", "-o", takes}, {}, 420000);
        QVERIFY2(audition.exitCode == 0, qPrintable(audition.out + audition.err));
        const QStringList files = QDir(takes).entryList({"*.wav"}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 2);
        const AudioBuffer first = readAudio(QDir(takes).filePath(files[0]));
        const AudioBuffer second = readAudio(QDir(takes).filePath(files[1]));
        QVERIFY(first.durationSeconds() > 0.1 && second.durationSeconds() > 0.1);
        QVERIFY2(first.samples != second.samples, "two seeds gave the same take");
        // Each take's seed is printed beside it, and they differ.
        QRegularExpression seedOf(QStringLiteral("seed (\\d+)"));
        QStringList seeds;
        for (auto m = seedOf.globalMatch(audition.out); m.hasNext();) seeds << m.next().captured(1);
        QCOMPARE(seeds.size(), 2);
        QVERIFY(seeds[0] != seeds[1]);

        // Nothing kept yet.
        const Run before = cli({"anchor", "--voice", "ada"});
        QVERIFY2(before.exitCode == 0, qPrintable(before.err));
        QVERIFY2(before.out.contains("no kept voice"), qPrintable(before.out));

        const QString transcript = QStringLiteral("Every story begins with a single voice.");
        const Run keep = cli({"anchor", "--voice", "ada", "--take", QDir(takes).filePath(files[1]), "--transcript",
                              transcript, "--seed", seeds[1]});
        QVERIFY2(keep.exitCode == 0, qPrintable(keep.err));
        const QString record = QDir(dataDir()).filePath("anchors/ada/anchor.json");
        QVERIFY2(QFileInfo::exists(record), qPrintable(keep.out));
        const QJsonObject stored = QJsonDocument::fromJson([&] {
                                       QFile f(record);
                                       return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
                                   }()).object();
        QCOMPARE(stored["transcript"].toString(), transcript);
        const QString keptAudio = QDir(dataDir()).filePath("anchors/ada/" + stored["audio"].toString());
        QCOMPARE(readAudio(keptAudio).samples.size(), second.samples.size());

        const Run shown = cli({"anchor", "--voice", "ada"});
        QVERIFY(shown.out.contains(transcript));
        QVERIFY(shown.out.contains("seed " + seeds[1]));

        const Run reset = cli({"anchor", "--voice", "ada", "--reset"});
        QVERIFY2(reset.exitCode == 0, qPrintable(reset.err));
        QVERIFY(!QFileInfo::exists(record));
        QVERIFY(cli({"anchor", "--voice", "ada"}).out.contains("no kept voice"));
    }

    void anchorRefusesWhatItCannotKeep() {
        const QString notAudio = dir_.filePath("notes.wav");
        {
            QFile f(notAudio);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("this is text, not a RIFF file");
        }
        const Run bad = cli({"anchor", "--voice", "ada", "--take", notAudio, "--transcript", "Hello."});
        QVERIFY(bad.exitCode > 0);
        QVERIFY2(bad.err.contains("notes.wav"), qPrintable(bad.err));
        QVERIFY(!QFileInfo::exists(QDir(dataDir()).filePath("anchors/ada/anchor.json")));

        const Run both = cli({"anchor", "--voice", "ada", "--take", notAudio, "--reset"});
        QVERIFY(both.exitCode > 0);
        QVERIFY2(both.err.contains("not both"), qPrintable(both.err));

        const Run noVoice = cli({"audition", "--voice", "no-such-voice"});
        QVERIFY(noVoice.exitCode > 0);
        QVERIFY2(noVoice.err.contains("no-such-voice"), qPrintable(noVoice.err));
    }
};

QTEST_GUILESS_MAIN(TestCliVoiceTools)
#include "tst_cli_voice_tools.moc"
