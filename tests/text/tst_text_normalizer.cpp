// The text normaliser against its corpus (tests/data/normalizer/corpus.tsv: every expected reading
// from a named reference normaliser or style guide), the pronunciation lexicon and pause marks.

#include <random>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/text/lexicon.h"
#include "core/text/pause_markup.h"
#include "core/text/text_normalizer.h"

using namespace echoforge;
using namespace echoforge::text;

namespace {

// Readings compare as words: letter case and runs of spaces do not count (the corpus header says why).
QString comparable(const QString& s) {
    return s.toLower().simplified();
}

} // namespace

class TestTextNormalizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void corpus() {
        QFile file(QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/normalizer/corpus.tsv"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        int cases = 0, lineNumber = 0;
        QStringList failures;
        QSet<QString> sources;
        while (!file.atEnd()) {
            const QString line = QString::fromUtf8(file.readLine()).chopped(1);
            ++lineNumber;
            if (line.startsWith(QLatin1String("# ")) || line.isEmpty())
                continue;
            const QStringList fields = line.split('\t');
            QVERIFY2(fields.size() == 3 && !fields[2].trimmed().isEmpty(),
                     qPrintable(QStringLiteral("line %1 needs input, expected reading and source").arg(lineNumber)));
            ++cases;
            sources.insert(fields[2]);
            const QString got = normalizeForSpeech(fields[0]);
            if (comparable(got) != comparable(fields[1]))
                failures << QStringLiteral("line %1: '%2' -> '%3', expected '%4' (%5)")
                                .arg(lineNumber).arg(fields[0], got, fields[1], fields[2]);
        }
        QVERIFY2(cases >= 300, qPrintable(QStringLiteral("only %1 cases").arg(cases)));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join('\n')));
        QVERIFY(sources.size() > 10);
    }

    void keepsParagraphsAndSentences() {
        QCOMPARE(normalizeForSpeech("It was 5 km.\n\nThen 3 more."), QStringLiteral("It was five kilometers.\n\nThen three more."));
    }

    void badInputNeverBreaks_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("nan") << "NaN and inf and 1e309";
        QTest::newRow("huge") << QString("9").repeated(400);
        QTest::newRow("symbols") << "$$$ %%% ### @@@ &&& +++ °°° ///";
        QTest::newRow("unfinished") << "$ . , - -- 1/0 0/0 12:99 99:00 32/13/2020 2020-13-45";
        QTest::newRow("emoji") << QString::fromUtf8("I ❤️ 3 🐱 and 𝟙𝟚𝟛");
    }
    void badInputNeverBreaks() {
        QFETCH(QString, text);
        const QString out = normalizeForSpeech(text);
        QVERIFY(!out.isNull());
        QVERIFY(!out.contains(QLatin1String("  ")));
    }

    void randomTextTerminates() {
        // Any mix of the characters the rules look at comes back, however odd.
        const QString alphabet = QStringLiteral("0123456789 .,:;-/$£€%°#&@+=()[]aAmMpPkgsStDr\n'");
        std::mt19937 rng(15);
        for (int i = 0; i < 3000; ++i) {
            QString s;
            const int n = int(rng() % 40);
            for (int k = 0; k < n; ++k)
                s += alphabet[int(rng() % alphabet.size())];
            normalizeForSpeech(s);
        }
    }

    void lexiconWinsOverRules() {
        Lexicon lexicon;
        lexicon.set("SQL", "sequel");
        lexicon.set("Nguyen", "win");
        lexicon.set("NASA", "nassa");
        QCOMPARE(normalizeForSpeech("SQL and NASA, said Nguyen's FBI friend.", lexicon),
                 QStringLiteral("sequel and nassa, said win's F B I friend."));
        // Whole words only, any case.
        QCOMPARE(lexicon.apply("Nguyenville nguyen NGUYEN."), QStringLiteral("Nguyenville win win."));
    }

    void characterLexiconOverridesLibrary() {
        QTemporaryDir dir;
        Lexicon library;
        library.set("tomato", "tomayto");
        library.set("Gif", "jif");
        library.save(lexiconPath(dir.path()));
        Lexicon ada;
        ada.set("tomato", "tomahto");
        ada.save(lexiconPath(dir.path(), "ada"));
        QCOMPARE(voiceLexicon(dir.path(), "ada").apply("tomato gif"), QStringLiteral("tomahto jif"));
        QCOMPARE(voiceLexicon(dir.path(), "bolt").apply("tomato gif"), QStringLiteral("tomayto jif"));
        QCOMPARE(voiceLexicon(dir.path(), {}).size(), 2);
        // Saved and read back the same.
        const Lexicon back = Lexicon::load(lexiconPath(dir.path(), "ada"));
        QCOMPARE(back.entries().size(), 1);
        QCOMPARE(back.entries().front().respelling, QStringLiteral("tomahto"));
    }

    void lexiconRefusesBadEntries_data() {
        QTest::addColumn<QString>("word");
        QTest::addColumn<QString>("respelling");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("empty word") << "" << "x" << "A lexicon entry needs a word.";
        QTest::newRow("two words") << "New York" << "x" << "The lexicon word 'New York' holds ' '";
        QTest::newRow("no respelling") << "tomato" << "  " << "The lexicon entry for 'tomato' needs a respelling";
        QTest::newRow("too long") << "a" << QString("b").repeated(201) << "The respelling of 'a' is 201 characters long";
    }
    void lexiconRefusesBadEntries() {
        QFETCH(QString, word);
        QFETCH(QString, respelling);
        QFETCH(QString, sentence);
        Lexicon lexicon;
        try {
            lexicon.set(word, respelling);
            QFAIL("accepted");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().startsWith(sentence), qPrintable(e.sentence()));
        }
        QVERIFY(lexicon.isEmpty());
    }

    void brokenLexiconFileIsNamed() {
        QTemporaryDir dir;
        const QString path = dir.filePath("library.json");
        for (const QByteArray& content : {QByteArray("{not json"), QByteArray("{\"schema\":1,\"entries\":{\"a b\":\"x\"}}"),
                                          QByteArray("{\"schema\":2,\"entries\":{}}")}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(content);
            f.close();
            try {
                Lexicon::load(path);
                QFAIL(content.constData());
            } catch (const Error& e) {
                QVERIFY2(e.sentence().contains(path), qPrintable(e.sentence()));
            }
        }
        QVERIFY(Lexicon::load(dir.filePath("missing.json")).isEmpty());
    }

    void pauses_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("texts");
        QTest::addColumn<QList<double>>("pauses");
        QTest::newRow("seconds") << "Wait [pause 0.8s] now." << QStringList{"Wait", "now."} << QList<double>{0.8, 0};
        QTest::newRow("default") << "Wait [pause] now." << QStringList{"Wait", "now."} << QList<double>{kDefaultPauseSeconds, 0};
        QTest::newRow("milliseconds") << "A[pause 250ms]B" << QStringList{"A", "B"} << QList<double>{0.25, 0};
        QTest::newRow("case and spaces") << "A [ Pause 2 seconds ] B" << QStringList{"A", "B"} << QList<double>{2.0, 0};
        QTest::newRow("two add up") << "A [pause 1s][pause 0.5s] B" << QStringList{"A", "B"} << QList<double>{1.5, 0};
        QTest::newRow("at the start") << "[pause 1s] A" << QStringList{"", "A"} << QList<double>{1.0, 0};
        QTest::newRow("at the end") << "A [pause 1s]" << QStringList{"A"} << QList<double>{1.0};
        QTest::newRow("capped") << "A [pause 999s] B" << QStringList{"A", "B"} << QList<double>{kLongestPauseSeconds, 0};
        QTest::newRow("unknown bracket") << "A [laughs] B" << QStringList{"A [laughs] B"} << QList<double>{0};
        QTest::newRow("malformed") << "A [pause x] B [pause" << QStringList{"A [pause x] B [pause"} << QList<double>{0};
        QTest::newRow("no text") << "" << QStringList{""} << QList<double>{0};
    }
    void pauses() {
        QFETCH(QString, text);
        QFETCH(QStringList, texts);
        QFETCH(QList<double>, pauses);
        const QList<TextSpan> spans = splitAtPauses(text);
        QCOMPARE(spans.size(), texts.size());
        for (qsizetype i = 0; i < spans.size(); ++i) {
            QCOMPARE(spans[i].text, texts[i]);
            QCOMPARE(spans[i].pauseAfter, pauses[i]);
        }
    }

    void spokenFormKeepsPauses() {
        QCOMPARE(spokenForm("Dr. Lee [pause 0.8s] paid $5 [pause]"),
                 QStringLiteral("doctor Lee [pause 0.8s] paid five dollars [pause 0.5s]"));
        QCOMPARE(withoutPauses("A [pause 2s] B"), QStringLiteral("A B"));
    }
};

QTEST_GUILESS_MAIN(TestTextNormalizer)
#include "tst_text_normalizer.moc"
