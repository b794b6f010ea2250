// Llama3Tokenizer::load on small tokenizer.json files written here: BPE semantics (merge rank,
// leftmost ties, ignore_merges, both merge forms, any key order) and every refusal, each of which
// must name the file and the defect.

#include <functional>

#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/text/byte_level.h"
#include "core/text/llama3_pretokenizer.h"
#include "core/text/llama3_tokenizer.h"
#include "core/text/tokenizer_cache.h"
#include "core/text/utf8.h"
#include "tests/text/tokenizer_test_support.h"

using namespace echoforge;
using nlohmann::json;

using Mutation = std::function<void(json&)>;
Q_DECLARE_METATYPE(Mutation)

namespace {

// A token's raw bytes written in the byte-level alphabet, as tokenizer.json stores them.
std::string byteLevel(std::string_view bytes) {
    std::string out;
    for (const char c : bytes)
        text::appendUtf8(out, text::byteToUnicode(static_cast<uint8_t>(c)));
    return out;
}

// The 256 bytes (id = byte value), then "ab" 256, "bc" 257, "aa" 258, "abc" 259, "xyz" 260; merges
// "b c" before "a b" before "a a"; then the two special ids 261 and 262.
// Every line of the reference corpus (Hugging Face's ids, tests/data/tokenizer/README.md).
void encodesTheReferenceCorpus(const Llama3Tokenizer& tokenizer) {
    const auto corpus = testing::readCorpus(QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/tokenizer/llama3-corpus-A.jsonl"));
    QVERIFY(corpus.size() > 100);
    for (const auto& line : corpus)
        QVERIFY2(tokenizer.encode(line.text) == line.ids,
                 qPrintable(QStringLiteral("corpus line %1: %2").arg(line.lineNumber).arg(testing::idsToString(tokenizer.encode(line.text)))));
}

json tinyTokenizer() {
    json vocab = json::object();
    for (int b = 0; b < 256; ++b)
        vocab[byteLevel(std::string(1, static_cast<char>(b)))] = b;
    vocab["ab"] = 256;
    vocab["bc"] = 257;
    vocab["aa"] = 258;
    vocab["abc"] = 259;
    vocab["xyz"] = 260;
    return {
        {"version", "1.0"},
        {"normalizer", nullptr},
        {"pre_tokenizer",
         {{"type", "Sequence"},
          {"pretokenizers",
           {{{"type", "Split"},
             {"pattern", {{"Regex", std::string(text::kLlama3SplitPattern)}}},
             {"behavior", "Isolated"},
             {"invert", false}},
            {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", false}}}}}},
        {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", true}}},
        {"added_tokens",
         {{{"id", 261}, {"content", "<|begin_of_text|>"}, {"special", true}},
          {{"id", 262}, {"content", "<|end_of_text|>"}, {"special", true}}}},
        {"model",
         {{"type", "BPE"},
          {"dropout", nullptr},
          {"byte_fallback", false},
          {"ignore_merges", false},
          {"vocab", vocab},
          {"merges", {"b c", "a b", "a a"}}}},
    };
}

} // namespace

class TestTokenizerLoading : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString write(const QByteArray& contents, const QString& name = "tokenizer.json") {
        const QString path = dir_.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(contents) != contents.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }
    QString write(const json& j) { return write(QByteArray::fromStdString(j.dump())); }

    static std::vector<int32_t> ids(std::initializer_list<int32_t> l) { return l; }

private Q_SLOTS:
    void mergesApplyByRankLeftmostFirst() {
        const auto tok = Llama3Tokenizer::load(write(tinyTokenizer()));
        QCOMPARE(tok.vocabSize(), 263);
        QCOMPARE(tok.encode("abc"), ids({'a', 257}));   // "b c" outranks "a b"; "a bc" is no merge
        QCOMPARE(tok.encode("abd"), ids({256, 'd'}));
        QCOMPARE(tok.encode("aaa"), ids({258, 'a'}));   // equal ranks: the leftmost pair first
        QCOMPARE(tok.encode("aaaa"), ids({258, 258}));
        QCOMPARE(tok.encode("xyz"), ids({'x', 'y', 'z'}));  // no merges lead to "xyz"
        QCOMPARE(tok.encode("ab ab"), ids({256, ' ', 256}));  // " ab" is one piece: ' ' joins nothing
        QCOMPARE(tok.encodeSegment(2, "ab"), ids({261, '[', '2', ']', 256, 262}));
        QCOMPARE(tok.decode(ids({261, 259, 262})), std::string("<|begin_of_text|>abc<|end_of_text|>"));
    }

    void ignoreMergesTakesWholeTokens() {
        json j = tinyTokenizer();
        j["model"]["ignore_merges"] = true;
        const auto tok = Llama3Tokenizer::load(write(j));
        QCOMPARE(tok.encode("xyz"), ids({260}));
        QCOMPARE(tok.encode("abc"), ids({259}));
        QCOMPARE(tok.encode("abcd"), ids({'a', 257, 'd'}));
    }

    void mergePairFormAndKeyOrder() {
        json j = tinyTokenizer();
        j["model"]["merges"] = json::array({json::array({"b", "c"}), json::array({"a", "b"}), json::array({"a", "a"})});
        const auto pairs = Llama3Tokenizer::load(write(j));
        QCOMPARE(pairs.encode("abc aaa"), ids({'a', 257, ' ', 258, 'a'}));
        // nlohmann writes keys sorted ("merges" before "vocab"); write "vocab" first by hand too.
        json rest = tinyTokenizer();
        const json model = rest["model"];
        rest.erase("model");
        std::string text = rest.dump();
        text.pop_back();  // the closing brace
        text += ",\"model\":{\"type\":\"BPE\",\"vocab\":" + model["vocab"].dump() +
                ",\"merges\":" + model["merges"].dump() + "}}";
        QVERIFY(text.find("\"vocab\"") < text.find("\"merges\""));
        const auto vocabFirst = Llama3Tokenizer::load(write(QByteArray::fromStdString(text)));
        QCOMPARE(vocabFirst.encode("abc aaa"), pairs.encode("abc aaa"));
    }

    void refusesMalformedFiles_data() {
        QTest::addColumn<Mutation>("mutate");
        QTest::addColumn<QString>("defect");
        auto row = [](const char* name, Mutation m, const char* defect) { QTest::newRow(name) << m << defect; };
        row("top level array", [](json& j) { j = json::array(); }, "top level is not a JSON object");
        row("no model", [](json& j) { j.erase("model"); }, "\"model\" is missing");
        row("model not BPE", [](json& j) { j["model"]["type"] = "WordPiece"; }, "model.type is not \"BPE\"");
        row("no vocab", [](json& j) { j["model"].erase("vocab"); }, "\"model.vocab\" is missing");
        row("vocab is array", [](json& j) { j["model"]["vocab"] = json::array(); }, "\"model.vocab\" is an array");
        row("id is a string", [](json& j) { j["model"]["vocab"]["ab"] = "256"; }, "model.vocab[\"ab\"] is not an integer id");
        row("negative id", [](json& j) { j["model"]["vocab"]["ab"] = -4; }, "model.vocab[\"ab\"] is not a valid id");
        // Containers inside the streamed sections (a fuzzing finding: they once reached a null node).
        row("id is an object", [](json& j) { j["model"]["vocab"]["ab"] = json::object({{"id", 256}}); },
            "model.vocab[\"ab\"] is not an integer id");
        row("id is an array", [](json& j) { j["model"]["vocab"]["ab"] = json::array({256}); },
            "model.vocab[\"ab\"] is not an integer id");
        row("merge is an object", [](json& j) { j["model"]["merges"][1] = json::object({{"a", "b"}}); },
            "model.merges[1] is neither");
        row("merge pair holds an array", [](json& j) { j["model"]["merges"][0] = json::array({json::array({"a"}), "b"}); },
            "model.merges[0] is neither");
        row("empty token", [](json& j) { j["model"]["vocab"][""] = 263; }, "model.vocab has an empty token (id 263)");
        row("ignore_merges not a boolean", [](json& j) { j["model"]["ignore_merges"] = "yes"; },
            "\"model.ignore_merges\" is a string, not a boolean");
        row("outside alphabet", [](json& j) { j["model"]["vocab"]["€"] = 263; }, "outside the byte-level alphabet");
        row("byte missing", [](json& j) { j["model"]["vocab"].erase("q"); }, "no token for the byte 0x71");
        row("merge of unknown", [](json& j) { j["model"]["merges"].push_back("q r9"); }, "names \"r9\", which is not in");
        row("merge result unknown", [](json& j) { j["model"]["merges"].push_back("x y"); }, "makes \"xy\", which is not in");
        row("merge without space", [](json& j) { j["model"]["merges"][1] = "ab"; }, "model.merges[1] is \"ab\", not two tokens");
        row("merge of three", [](json& j) { j["model"]["merges"][0] = json::array({"a", "b", "c"}); }, "model.merges[0] is neither");
        row("merge of numbers", [](json& j) { j["model"]["merges"][2] = 7; }, "model.merges[2] is neither");
        row("other split", [](json& j) { j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "\\s+"; },
            "not the Llama 3 split pattern");
        row("no split", [](json& j) { j["pre_tokenizer"] = {{"type", "ByteLevel"}}; }, "pre_tokenizer.type is not \"Sequence\"");
        row("prefix space", [](json& j) { j["pre_tokenizer"]["pretokenizers"][1]["add_prefix_space"] = true; },
            "add_prefix_space is true");
        row("decoder", [](json& j) { j["decoder"] = {{"type", "WordPiece"}}; }, "decoder.type is not \"ByteLevel\"");
        row("normalizer", [](json& j) { j["normalizer"] = {{"type", "NFC"}}; }, "it has a normalizer");
        row("byte fallback", [](json& j) { j["model"]["byte_fallback"] = true; }, "byte_fallback is true");
        row("no begin of text", [](json& j) { j["added_tokens"].erase(0); }, "lacks <|begin_of_text|>");
        row("added id not a number", [](json& j) { j["added_tokens"][1]["id"] = "262"; }, "\"added_tokens[1].id\" is a string");
        row("gap in ids", [](json& j) { j["added_tokens"][1]["id"] = 300; }, "the id 262 is neither in model.vocab");
    }
    void refusesMalformedFiles() {
        QFETCH(Mutation, mutate);
        QFETCH(QString, defect);
        json j = tinyTokenizer();
        mutate(j);
        const QString path = write(j);
        try {
            Llama3Tokenizer::load(path);
            QFAIL("the file was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains(path), qPrintable(e.sentence()));
            QVERIFY2(e.sentence().contains(defect), qPrintable(e.sentence()));
        }
    }

    void refusesMissingTruncatedAndInvalidFiles_data() {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("defect");
        const QByteArray whole = QByteArray::fromStdString(tinyTokenizer().dump());
        QTest::newRow("empty") << QByteArray() << "ends early after 0 bytes";
        QTest::newRow("half") << whole.left(whole.size() / 2) << "ends early";
        QTest::newRow("last brace missing") << whole.chopped(1) << "ends early";
        QTest::newRow("not JSON") << QByteArray("tokenizer: yes") << "not valid JSON at byte";
        QTest::newRow("trailing garbage") << whole + "]" << "not valid JSON at byte";
        QByteArray repeated = whole;
        repeated.replace("\"ab\":256", "\"ab\":256,\"ab\":300");
        QTest::newRow("token twice") << repeated << "model.vocab has the token \"ab\" twice";
    }
    void refusesMissingTruncatedAndInvalidFiles() {
        QFETCH(QByteArray, contents);
        QFETCH(QString, defect);
        const QString path = write(contents);
        try {
            Llama3Tokenizer::load(path);
            QFAIL("the file was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains(path) && e.sentence().contains(defect), qPrintable(e.sentence()));
        }
    }

    // The cached copy of the tables (tokenizer_cache.h): written by the first load, read by the
    // second, and the tokenizer it gives encodes the whole corpus to the reference's ids (from
    // Hugging Face's tokenizer, tests/data/tokenizer/README.md), as the JSON's does.
    void cachedCopyGivesTheReferenceIds() {
        QTemporaryDir cache;
        const QString jsonPath = testing::fetchedTokenizerJson();
        const QString copyPath = text::tokenizerCopyPath(cache.path(), jsonPath);
        QVERIFY(!QFile::exists(copyPath));
        Llama3Tokenizer::load(jsonPath, cache.path());
        QVERIFY2(QFile::exists(copyPath), qPrintable(copyPath));
        QVERIFY(text::readTokenizerCopy(copyPath, jsonPath).has_value());
        const auto fromCopy = Llama3Tokenizer::load(jsonPath, cache.path());
        QCOMPARE(fromCopy.vocabSize(), 128256);
        QCOMPARE(fromCopy.beginOfTextId(), 128000);
        QCOMPARE(fromCopy.endOfTextId(), 128001);
        encodesTheReferenceCorpus(fromCopy);
        QCOMPARE(fromCopy.decode(fromCopy.encode("Hello there.")), std::string("Hello there."));
    }

    // A copy that is damaged, of another format, or made from another file is a miss: the JSON is
    // read again, the copy rewritten, and the ids stay the reference's.
    void damagedOrStaleCopyIsAMiss_data() {
        QTest::addColumn<QString>("damage");
        QTest::newRow("a flipped byte") << "flip";
        QTest::newRow("cut short") << "truncate";
        QTest::newRow("garbage") << "garbage";
        QTest::newRow("another tokenizer.json") << "stale";
    }
    void damagedOrStaleCopyIsAMiss() {
        QFETCH(QString, damage);
        QTemporaryDir cache;
        QTemporaryDir other;
        QString jsonPath = testing::fetchedTokenizerJson();
        if (damage == "stale") {
            // The copy of one file must not stand for another at the same path after it changed.
            const QString copied = other.filePath("tokenizer.json");
            QVERIFY(QFile::copy(jsonPath, copied));
            jsonPath = copied;
        }
        Llama3Tokenizer::load(jsonPath, cache.path());
        const QString copyPath = text::tokenizerCopyPath(cache.path(), jsonPath);
        QFile f(copyPath);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        if (damage == "flip")
            bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x20);
        else if (damage == "truncate")
            bytes.truncate(bytes.size() - 100);
        else if (damage == "garbage")
            bytes.fill('x');
        QVERIFY(f.resize(0) && f.seek(0) && f.write(bytes) == bytes.size());
        f.close();
        if (damage == "stale") {
            // Same path, one more byte of whitespace: another file as far as the copy knows.
            QFile json(jsonPath);
            QVERIFY(json.open(QIODevice::Append) && json.write("\n") == 1);
            json.close();
        }
        QVERIFY(!text::readTokenizerCopy(copyPath, jsonPath).has_value());
        encodesTheReferenceCorpus(Llama3Tokenizer::load(jsonPath, cache.path()));
        QVERIFY(text::readTokenizerCopy(copyPath, jsonPath).has_value());   // rewritten
    }

    void refusesMissingFile() {
        const QString path = dir_.filePath("absent/tokenizer.json");
        QVERIFY_THROWS_EXCEPTION(Error, Llama3Tokenizer::load(path));
        try {
            Llama3Tokenizer::load(path);
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains(path) && e.sentence().contains("does not exist"), qPrintable(e.sentence()));
        }
    }

    void refusesTruncatedLlama3File() {
        QFile real(testing::fetchedTokenizerJson());
        QVERIFY(real.open(QIODevice::ReadOnly));
        const QString path = write(real.read(5 << 20), "truncated.json");  // the first 5 of 9 MB
        try {
            Llama3Tokenizer::load(path);
            QFAIL("the truncated file was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains(path) && e.sentence().contains("ends early"), qPrintable(e.sentence()));
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenizerLoading)
#include "tst_tokenizer_loading.moc"
