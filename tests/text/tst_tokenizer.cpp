// Llama3Tokenizer behaviour beyond the corpus: the pre-tokenizer's pieces, Unicode classes, invalid
// UTF-8, round trips, special-token strings as ordinary text, CSM segments, decoding.

#include <atomic>
#include <optional>
#include <random>
#include <thread>

#include <QtTest>

#include "core/common/error.h"
#include "core/text/llama3_pretokenizer.h"
#include "core/text/llama3_tokenizer.h"
#include "core/text/utf8.h"
#include "tests/text/tokenizer_test_support.h"
#include "tests/engine/error_sentence.h"

using namespace echoforge;
using namespace echoforge::testing;

namespace {

std::vector<std::string> pieces(std::string_view text) {
    std::vector<std::string> out;
    for (size_t start = 0; start < text.size();) {
        const size_t end = text::llama3PieceEnd(text, start);
        out.emplace_back(text.substr(start, end - start));
        start = end;
    }
    return out;
}

QStringList toStringList(const std::vector<std::string>& v) {
    QStringList out;
    for (const auto& s : v)
        out << QString::fromStdString(s);
    return out;
}

std::string utf8(char32_t cp) {
    std::string s;
    text::appendUtf8(s, cp);
    return s;
}

bool hasSpecialId(const std::vector<int32_t>& ids, int32_t firstSpecial) {
    return std::any_of(ids.begin(), ids.end(), [&](int32_t id) { return id >= firstSpecial; });
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

    std::optional<Llama3Tokenizer> tok_;

private Q_SLOTS:
    void initTestCase() { tok_ = Llama3Tokenizer::load(fetchedTokenizerJson()); }

    void piecesFollowTheSplitPattern_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("words") << "Hello world" << QStringList{"Hello", " world"};
        QTest::newRow("contraction") << "I'm" << QStringList{"I", "'m"};
        QTest::newRow("contraction upper") << "WE'LL" << QStringList{"WE", "'LL"};
        QTest::newRow("contraction long s") << "it'ſ" << QStringList{"it", "'ſ"};
        QTest::newRow("not a contraction") << "'x" << QStringList{"'x"};
        QTest::newRow("two spaces") << "x  y" << QStringList{"x", " ", " y"};
        QTest::newRow("spaces then newlines") << "x   \n\ny" << QStringList{"x", "   \n\n", "y"};
        QTest::newRow("newline space word") << "x\n y" << QStringList{"x", "\n", " y"};
        QTest::newRow("trailing spaces") << "a  " << QStringList{"a", "  "};
        QTest::newRow("digits in threes") << "12345" << QStringList{"123", "45"};
        QTest::newRow("space before digits") << " 12" << QStringList{" ", "12"};
        QTest::newRow("punctuation run") << "a...b" << QStringList{"a", "...", "b"};
        QTest::newRow("punctuation with newlines") << " ...\n\nx" << QStringList{" ...\n\n", "x"};
        QTest::newRow("tab prefixes a word") << "\tword" << QStringList{"\tword"};
        QTest::newRow("newline never prefixes") << "\nword" << QStringList{"\n", "word"};
        QTest::newRow("CRLF after punctuation") << "hello!\r\n" << QStringList{"hello", "!\r\n"};
        QTest::newRow("combining mark") << "e\u0301t" << QStringList{"e", "\u0301t"};
        QTest::newRow("Arabic-Indic digits") << "\u0663\u0664\u0665\u0666" << QStringList{"\u0663\u0664\u0665", "\u0666"};
        QTest::newRow("no-break space prefixes") << "x\u00A0y" << QStringList{"x", "\u00A0y"};
        QTest::newRow("roman numeral is a number") << "\u216B\u216B" << QStringList{"\u216B\u216B"};
        QTest::newRow("emoji") << "hi 👋🏽!" << QStringList{"hi", " 👋🏽!"};
        QTest::newRow("CJK") << "東京へ" << QStringList{"東京へ"};
    }
    void piecesFollowTheSplitPattern() {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QCOMPARE(toStringList(pieces(text.toStdString())), expected);
    }

    // 4,000 random strings cut by the Python `regex` engine with the same pattern
    // (tests/data/tokenizer/make_pieces_corpus.py): the scanner must agree piece for piece.
    void piecesMatchARegexEngine() {
        QFile file(QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/tokenizer/llama3-pieces-regex.jsonl"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        int lines = 0;
        while (!file.atEnd()) {
            const QByteArray raw = file.readLine();
            ++lines;
            const auto j = nlohmann::json::parse(raw.constData(), raw.constData() + raw.size());
            const auto text = j.at("text").get<std::string>();
            const auto expected = j.at("pieces").get<std::vector<std::string>>();
            QVERIFY2(pieces(text) == expected, qPrintable(QStringLiteral("line %1: %2 gives %3, the regex engine %4")
                                                             .arg(lines)
                                                             .arg(QString::fromStdString(nlohmann::json(text).dump()),
                                                                  toStringList(pieces(text)).join(" | "),
                                                                  toStringList(expected).join(" | "))));
        }
        QCOMPARE(lines, 4000);
    }

    void unicodeClasses() {
        QCOMPARE(text::classify(U'ß'), text::CharClass::Letter);
        QCOMPARE(text::classify(U'中'), text::CharClass::Letter);
        QCOMPARE(text::classify(0x02B0), text::CharClass::Letter);  // modifier letter
        QCOMPARE(text::classify(0x0663), text::CharClass::Number);  // Arabic-Indic digit
        QCOMPARE(text::classify(U'½'), text::CharClass::Number);
        QCOMPARE(text::classify(0x0085), text::CharClass::Space);   // NEL is White_Space
        QCOMPARE(text::classify(0x2028), text::CharClass::Space);
        QCOMPARE(text::classify(0x3000), text::CharClass::Space);
        QCOMPARE(text::classify(0x200B), text::CharClass::Other);   // zero width space is not White_Space
        QCOMPARE(text::classify(0xFEFF), text::CharClass::Other);
        QCOMPARE(text::classify(0x0301), text::CharClass::Other);   // combining mark
        QCOMPARE(text::classify(0x1F600), text::CharClass::Other);
    }

    void invalidUtf8IsReplacedByMaximalSubparts_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        const QString r = QChar(0xFFFD);
        QTest::newRow("stray byte") << QByteArray("a\xff" "b") << "a" + r + "b";
        QTest::newRow("truncated at end") << QByteArray("x\xe2\x82") << "x" + r;
        QTest::newRow("truncated mid-text") << QByteArray("\xe2\x82" "a") << r + "a";
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << r + r + r;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << r + r;
        QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << r + r + r + r;
        QTest::newRow("emoji cut short") << QByteArray("\xf0\x9f\x98!") << r + "!";
        QTest::newRow("valid kept") << QByteArray("é😀\xef\xbf\xbd") << QString("é😀") + r;
    }
    void invalidUtf8IsReplacedByMaximalSubparts() {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        const std::string view(input.constData(), input.size());
        QCOMPARE(QString::fromStdString(text::replaceInvalidUtf8(view)), expected);
        QCOMPARE(text::isValidUtf8(view), expected.toUtf8() == input);
        // The tokenizer encodes exactly the replaced text: nothing after a bad byte is lost.
        QCOMPARE(tok_->encode(view), tok_->encode(expected.toStdString()));
        QCOMPARE(QString::fromStdString(tok_->decode(tok_->encode(view))), expected);
    }

    void everySingleByteIsEncoded() {
        for (int b = 0; b < 256; ++b) {
            const std::string text(1, static_cast<char>(b));
            const std::vector<int32_t> ids = tok_->encode(text);
            QCOMPARE(ids.size(), size_t(1));
            QCOMPARE(tok_->decode(ids), text::replaceInvalidUtf8(text));
        }
    }

    void roundTripsRandomText() {
        // Code points from every class the pattern distinguishes, several scripts and planes.
        const std::vector<char32_t> pool = {
            'a', 'Z', 's', 't', 'l', '\'', ' ', ' ', '\n', '\r', '\t', '0', '7', '.', '!', '-', '"', 0xA0, 0x85,
            0xE9, 0xDF, 0x301, 0x3B1, 0x416, 0x5D0, 0x627, 0x663, 0x915, 0x93F, 0xE01, 0x3042, 0x4E2D, 0xAC00,
            0x2028, 0x3000, 0x200D, 0xFE0F, 0xFEFF, 0x1F44B, 0x1F3FD, 0x1F1EB, 0x10348, 0x20000, 0xFFFD, 0x17F};
        std::mt19937 rng(7);
        for (int i = 0; i < 3000; ++i) {
            std::string s;
            const int length = int(rng() % 40);
            for (int k = 0; k < length; ++k)
                s += utf8(pool[rng() % pool.size()]);
            const std::vector<int32_t> ids = tok_->encode(s);
            QVERIFY(!hasSpecialId(ids, tok_->beginOfTextId()));
            QCOMPARE(tok_->decode(ids), s);
        }
    }

    void longRunsRoundTrip() {
        const std::string spaces(200000, ' ');
        QCOMPARE(tok_->decode(tok_->encode(spaces)), spaces);
        std::string word;  // one piece of 100,000 letters, not in the vocabulary: merged pair by pair
        for (int i = 0; i < 10000; ++i)
            word += "helloworld";
        const std::vector<int32_t> ids = tok_->encode(word);
        QVERIFY(ids.size() < word.size() / 2);
        QCOMPARE(tok_->decode(ids), word);
    }

    // Pieces that need merging are cached (core/text/piece_cache.h): repeats, a cache that has
    // started over, and threads encoding at once all give the ids of a first encoding.
    void cachedPiecesGiveTheSameIds() {
        const std::string text = "привет мир, Straße — 東京 говорить";
        const std::vector<int32_t> first = tok_->encode(text);
        QCOMPARE(tok_->encode(text), first);
        std::mt19937 rng(11);
        for (int i = 0; i < 70000; ++i)  // more distinct pieces than the cache holds
            tok_->encode(" " + utf8(0x430 + rng() % 32) + utf8(0x430 + rng() % 32) + utf8(0x430 + rng() % 32) +
                         utf8(0x430 + rng() % 32));
        QCOMPARE(tok_->encode(text), first);

        std::vector<std::string> texts;
        std::vector<std::vector<int32_t>> expected;
        for (int i = 0; i < 200; ++i) {
            texts.push_back(text + " " + std::to_string(i) + utf8(0x3B1 + i % 24) + utf8(0x5D0 + i % 27));
            expected.push_back(tok_->encode(texts.back()));
        }
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int round = 0; round < 20; ++round)
                    for (size_t i = 0; i < texts.size(); ++i) {
                        const size_t k = (i + size_t(t) * 37) % texts.size();
                        if (tok_->encode(texts[k]) != expected[k])
                            ++mismatches;
                    }
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(mismatches.load(), 0);
    }

    void specialTokenStringsAreOrdinaryText_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("begin") << "<|begin_of_text|>";
        QTest::newRow("end inside") << "say <|end_of_text|> now";
        QTest::newRow("header") << "<|start_header_id|>user<|end_header_id|>";
        QTest::newRow("eot") << "<|eot_id|>";
    }
    void specialTokenStringsAreOrdinaryText() {
        QFETCH(QString, text);
        const std::vector<int32_t> ids = tok_->encode(text.toStdString());
        QVERIFY2(!hasSpecialId(ids, tok_->beginOfTextId()), qPrintable(idsToString(ids)));
        QVERIFY(ids.size() > 3);
        QCOMPARE(QString::fromStdString(tok_->decode(ids)), text);
    }

    void segmentWrapsSpeakerAndText() {
        const std::vector<int32_t> segment = tok_->encodeSegment(1, "Hello there.");
        std::vector<int32_t> expected{tok_->beginOfTextId()};
        const std::vector<int32_t> body = tok_->encode("[1]Hello there.");
        expected.insert(expected.end(), body.begin(), body.end());
        expected.push_back(tok_->endOfTextId());
        QCOMPARE(segment, expected);
        QCOMPARE(segment.front(), 128000);
        QCOMPARE(segment.back(), 128001);
        QCOMPARE(tok_->decode(segment), std::string("<|begin_of_text|>[1]Hello there.<|end_of_text|>"));
        QCOMPARE(tok_->encodeSegment(0, "").size(), tok_->encode("[0]").size() + 2);
    }

    void decodeIsConcatenationOfPieces() {
        const std::string text = "Ünïcödé 👩‍💻 text";
        const std::vector<int32_t> ids = tok_->encode(text);
        std::string joined;
        for (const int32_t id : ids)
            joined += tok_->decode(std::span(&id, 1));
        QCOMPARE(joined, text);
    }

    void decodeRefusesUnknownIds() {
        const std::vector<int32_t> tooHigh{tok_->vocabSize()};
        QVERIFY(test::errorSentenceOf([&] { tok_->decode(tooHigh); })
                    .startsWith(QStringLiteral("Token id %1 is outside the Llama 3 vocabulary of %1 ids").arg(tok_->vocabSize())));
        const std::vector<int32_t> negative{-1};
        QVERIFY(test::errorSentenceOf([&] { tok_->decode(negative); })
                    .startsWith(QStringLiteral("Token id -1 is outside the Llama 3 vocabulary of %1 ids").arg(tok_->vocabSize())));
        const std::vector<int32_t> last{tok_->vocabSize() - 1};
        QVERIFY(!tok_->decode(last).empty());
    }

    void copiesShareTheTables() {
        const Llama3Tokenizer copy = *tok_;
        QCOMPARE(copy.encode("shared tables"), tok_->encode("shared tables"));
        QCOMPARE(copy.sourcePath(), fetchedTokenizerJson());
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
