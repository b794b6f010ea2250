// Long text is split at paragraph and sentence boundaries into pieces that fit.

#include <QtTest>

#include "core/generation/text_splitter.h"

using namespace echoforge;

class TestTextSplitter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sentences_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("plain") << "One. Two! Three?" << QStringList{"One.", "Two!", "Three?"};
        QTest::newRow("abbreviation") << "Dr. Smith came. He sat." << QStringList{"Dr. Smith came.", "He sat."};
        QTest::newRow("decimal") << "Pi is 3.14 today. Yes." << QStringList{"Pi is 3.14 today.", "Yes."};
        QTest::newRow("quotes") << "\"Go!\" she said. Then left." << QStringList{"\"Go!\" she said.", "Then left."};
        QTest::newRow("ellipsis") << "Wait... what? No. Yes." << QStringList{"Wait... what?", "No.", "Yes."};
        QTest::newRow("no end mark") << "no full stop here" << QStringList{"no full stop here"};
        QTest::newRow("cjk") << "你好。再见。" << QStringList{"你好。", "再见。"};
    }
    void sentences() {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QCOMPARE(splitSentences(text), expected);
    }

    void piecesRespectLimitAndKeepEveryWord() {
        QString text;
        for (int p = 0; p < 4; ++p) {
            for (int s = 0; s < 9; ++s)
                text += QStringLiteral("Sentence %1 of paragraph %2 has a few words in it. ").arg(s).arg(p);
            text += "\n\n";
        }
        const auto pieces = splitText(text, 120);
        QVERIFY(pieces.size() > 4);
        QStringList joined;
        for (const auto& piece : pieces) {
            QVERIFY2(piece.text.size() <= 120, qPrintable(piece.text));
            QVERIFY(!piece.text.isEmpty());
            joined << piece.text;
        }
        QCOMPARE(joined.join(' ').simplified(), text.simplified());
        int paragraphEnds = 0;
        for (const auto& piece : pieces)
            paragraphEnds += piece.endsParagraph;
        QCOMPARE(paragraphEnds, 4);
        QVERIFY(pieces.last().endsParagraph);
    }

    void longSentenceCutAtClause() {
        const QString s = "This sentence is long, it goes on and on with many words, and it must be cut somewhere sensible.";
        const auto pieces = splitText(s, 60);
        QVERIFY(pieces.size() >= 2);
        QVERIFY2(pieces[0].text.endsWith(','), qPrintable(pieces[0].text));
        for (const auto& p : pieces)
            QVERIFY(p.text.size() <= 60);
    }

    void overlongWordKeptWhole() {
        const QString word(300, 'a');
        const auto pieces = splitText("short " + word + " end", 50);
        QStringList all;
        for (const auto& p : pieces)
            all << p.text;
        QCOMPARE(all.join(' '), "short " + word + " end");
        QVERIFY(all.contains(word));
    }

    void emptyGivesNothing() {
        QVERIFY(splitText("", 100).isEmpty());
        QVERIFY(splitText("  \n\n \t ", 100).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTextSplitter)
#include "tst_text_splitter.moc"
