// Llama3Tokenizer::load: reads a Hugging Face tokenizer.json and checks that it describes the
// tokenizer this code implements (byte-level BPE with the Llama 3 split pattern).

#include <algorithm>
#include <chrono>

#include <QFile>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/text/bpe_tables_builder.h"
#include "core/text/llama3_pretokenizer.h"
#include "core/text/llama3_tokenizer.h"
#include "core/text/llama3_tokenizer_tables.h"
#include "core/text/tokenizer_cache.h"
#include "core/text/tokenizer_json_reader.h"

namespace echoforge {
namespace {

using nlohmann::json;

constexpr std::string_view kBeginOfText = "<|begin_of_text|>";
constexpr std::string_view kEndOfText = "<|end_of_text|>";

QString typeName(json::value_t type) {
    switch (type) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::null: return "null";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number with a fraction";
    default: return "binary data";
    }
}

class Reader {
public:
    explicit Reader(QString path) : path_(std::move(path)) {}

    [[noreturn]] void fail(const QString& defect) const { text::refuseTokenizerFile(path_, defect); }

    // The member `name` of `object` (located at `where`), which must have one of `types`.
    const json& member(const json& object, const char* name, const QString& where,
                       std::initializer_list<json::value_t> types) const {
        const auto it = object.find(name);
        const QString field = where.isEmpty() ? QString(name) : where + "." + name;
        if (it == object.end())
            fail(QStringLiteral("the field \"%1\" is missing").arg(field));
        for (const json::value_t t : types)
            if (it->type() == t || (t == json::value_t::number_integer && it->is_number_unsigned()))
                return *it;
        fail(QStringLiteral("the field \"%1\" is %2, not %3").arg(field, typeName(it->type()), typeName(*types.begin())));
    }

    const json& object(const json& parent, const char* name, const QString& where) const {
        return member(parent, name, where, {json::value_t::object});
    }

    std::string string(const json& parent, const char* name, const QString& where) const {
        return member(parent, name, where, {json::value_t::string}).get<std::string>();
    }

    // A member that, when present and not null, must equal `expected`.
    void expectIfPresent(const json& parent, const char* name, const QString& where, const json& expected,
                         const QString& why) const {
        const auto it = parent.find(name);
        if (it != parent.end() && !it->is_null() && *it != expected)
            fail(QStringLiteral("%1.%2 is %3, but %4").arg(where, name, QString::fromStdString(it->dump()), why));
    }

private:
    QString path_;
};

QByteArray readFile(const QString& path) {
    QFile file(path);
    if (!file.exists())
        text::refuseTokenizerFile(path, QStringLiteral("the file does not exist (the set-up step fetches it into the "
                                                       "build tree; or put a Llama 3 tokenizer.json in the model "
                                                       "folder's tokenizer/ folder)"));
    if (!file.open(QIODevice::ReadOnly))
        text::refuseTokenizerFile(path, QStringLiteral("it cannot be read (%1)").arg(file.errorString()));
    return file.readAll();
}

void checkPreTokenizer(const Reader& r, const json& root) {
    const json& pre = r.object(root, "pre_tokenizer", {});
    const QString sequence = "pre_tokenizer.pretokenizers";
    if (r.string(pre, "type", "pre_tokenizer") != "Sequence")
        r.fail("pre_tokenizer.type is not \"Sequence\" (a Split then a ByteLevel step, as in Llama 3)");
    const json& steps = r.member(pre, "pretokenizers", "pre_tokenizer", {json::value_t::array});
    if (steps.size() != 2 || !steps[0].is_object() || !steps[1].is_object())
        r.fail(sequence + " does not hold the two steps Split and ByteLevel");
    const json& split = steps[0];
    if (r.string(split, "type", sequence + "[0]") != "Split")
        r.fail(sequence + "[0] is not a Split");
    const json& pattern = r.object(split, "pattern", sequence + "[0]");
    if (r.string(pattern, "Regex", sequence + "[0].pattern") != text::kLlama3SplitPattern)
        r.fail(sequence + "[0].pattern.Regex is not the Llama 3 split pattern");
    r.expectIfPresent(split, "behavior", sequence + "[0]", "Isolated", "only \"Isolated\" is supported");
    r.expectIfPresent(split, "invert", sequence + "[0]", false, "only false is supported");
    const json& byteLevel = steps[1];
    if (r.string(byteLevel, "type", sequence + "[1]") != "ByteLevel")
        r.fail(sequence + "[1] is not a ByteLevel step");
    r.expectIfPresent(byteLevel, "add_prefix_space", sequence + "[1]", false, "Llama 3 adds no prefix space");
    r.expectIfPresent(byteLevel, "use_regex", sequence + "[1]", false, "the Split step already cuts the text");

    if (r.string(r.object(root, "decoder", {}), "type", "decoder") != "ByteLevel")
        r.fail("decoder.type is not \"ByteLevel\"");
    if (const auto it = root.find("normalizer"); it != root.end() && !it->is_null())
        r.fail("it has a normalizer, which the Llama 3 tokenizer does not");
}

// added_tokens: the special ids above the BPE vocabulary, kept for decoding and CSM segments.
void readAddedTokens(const Reader& r, const json& root, Llama3Tokenizer::Tables& t) {
    const json& added = r.member(root, "added_tokens", {}, {json::value_t::array});
    for (size_t i = 0; i < added.size(); ++i) {
        const QString where = QStringLiteral("added_tokens[%1]").arg(i);
        if (!added[i].is_object())
            r.fail(where + " is not an object");
        const json& idValue = r.member(added[i], "id", where, {json::value_t::number_integer});
        if (idValue.get<int64_t>() < 0 || idValue.get<int64_t>() > INT32_MAX)
            r.fail(where + ".id is not a valid id");
        const auto id = idValue.get<int32_t>();
        std::string content = r.string(added[i], "content", where);
        if (content == kBeginOfText)
            t.beginOfText = id;
        if (content == kEndOfText)
            t.endOfText = id;
        if (static_cast<size_t>(id) >= t.idToBytes.size())
            t.idToBytes.resize(id + 1);
        t.idToBytes[id] = std::move(content);
    }
    if (t.beginOfText < 0 || t.endOfText < 0)
        r.fail(QStringLiteral("added_tokens lacks %1 or %2")
                   .arg(QString::fromUtf8(kBeginOfText.data()), QString::fromUtf8(kEndOfText.data())));
}

} // namespace

Llama3Tokenizer Llama3Tokenizer::load(const QString& path) { return loadJson(path, nullptr); }

Llama3Tokenizer Llama3Tokenizer::load(const QString& path, const QString& cacheDir) {
    const auto started = std::chrono::steady_clock::now();
    const QString copyPath = text::tokenizerCopyPath(cacheDir, path);
    if (std::optional<text::TokenizerTablesCopy> copy = text::readTokenizerCopy(copyPath, path)) {
        // Replayed in the order the JSON loader made them: the same BpeModel.
        auto tables = std::make_shared<Tables>();
        tables->path = path;
        tables->bpe.reserve(copy->vocabOrder.size(), copy->merges.size());
        // In batches whose slots are prefetched first, as the JSON loader does: the insertions
        // land at random places in tables of several megabytes, and their misses then overlap.
        constexpr size_t kBatch = 32;
        bool whole = true;
        const auto& order = copy->vocabOrder;
        for (size_t at = 0; at < order.size(); at += kBatch) {
            const size_t end = std::min(order.size(), at + kBatch);
            for (size_t i = at; i < end; ++i)
                tables->bpe.prefetchToken(copy->idToBytes[size_t(order[i])]);
            for (size_t i = at; i < end; ++i)
                whole = whole && tables->bpe.addToken(copy->idToBytes[size_t(order[i])], order[i]);
        }
        const auto& merges = copy->merges;
        for (size_t at = 0; at < merges.size(); at += kBatch) {
            const size_t end = std::min(merges.size(), at + kBatch);
            for (size_t i = at; i < end; ++i)
                tables->bpe.prefetchMerge(merges[i][0], merges[i][1]);
            for (size_t i = at; i < end; ++i)
                tables->bpe.addMerge(merges[i][0], merges[i][1], merges[i][2]);
        }
        tables->bpe.setIgnoreMerges(copy->ignoreMerges);
        int missingByte = 0;
        whole = whole && tables->bpe.indexBytes(missingByte);
        if (whole) {
            tables->idToBytes = std::move(copy->idToBytes);
            tables->beginOfText = copy->beginOfText;
            tables->endOfText = copy->endOfText;
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
            logger(LogArea::Model)->info("Llama 3 tokenizer: {} ids, {} merges from the cached copy of {} in {:.0f} ms",
                                         tables->idToBytes.size(), tables->bpe.mergeCount(), path, ms);
            return Llama3Tokenizer(std::move(tables));
        }
        logger(LogArea::Model)->info("the tokenizer's cached tables {} do not replay; reading {}", copyPath, path);
    }
    text::TokenizerTablesCopy copy;
    Llama3Tokenizer tokenizer = loadJson(path, &copy);
    // A copy can stand for the JSON only when every vocabulary token's bytes are still its own
    // (an added token with a vocabulary token's id would have replaced them).
    bool faithful = true;
    for (const int32_t id : copy.vocabOrder)
        faithful = faithful && tokenizer.tables_->bpe.tokenId(tokenizer.tables_->idToBytes[size_t(id)]) == id;
    if (faithful) {
        copy.idToBytes = tokenizer.tables_->idToBytes;
        copy.beginOfText = tokenizer.tables_->beginOfText;
        copy.endOfText = tokenizer.tables_->endOfText;
        text::writeTokenizerCopy(copyPath, path, copy);
    }
    return tokenizer;
}

Llama3Tokenizer Llama3Tokenizer::loadJson(const QString& path, text::TokenizerTablesCopy* copy) {
    const auto started = std::chrono::steady_clock::now();
    const QByteArray bytes = readFile(path);
    auto tables = std::make_shared<Tables>();
    tables->path = path;
    const Reader r(path);
    text::BpeTablesBuilder builder(path, tables->bpe, tables->idToBytes);
    const json root = text::readTokenizerJson(path, std::string_view(bytes.constData(), bytes.size()), builder);
    builder.finish();
    if (!root.is_object())
        r.fail("the top level is not a JSON object");

    checkPreTokenizer(r, root);
    const json& model = r.object(root, "model", {});
    if (r.string(model, "type", "model") != "BPE")
        r.fail("model.type is not \"BPE\"");
    r.expectIfPresent(model, "byte_fallback", "model", false, "byte-level BPE needs no byte fallback");
    r.expectIfPresent(model, "continuing_subword_prefix", "model", "", "Llama 3 uses none");
    r.expectIfPresent(model, "end_of_word_suffix", "model", "", "Llama 3 uses none");
    r.expectIfPresent(model, "dropout", "model", 0.0, "dropout would make encoding random");
    if (model.contains("ignore_merges")) {
        const bool ignore = r.member(model, "ignore_merges", "model", {json::value_t::boolean}).get<bool>();
        tables->bpe.setIgnoreMerges(ignore);
        if (copy)
            copy->ignoreMerges = ignore;
    }
    r.object(model, "vocab", "model");
    r.member(model, "merges", "model", {json::value_t::array});
    int missingByte = 0;
    if (!tables->bpe.indexBytes(missingByte))
        r.fail(QStringLiteral("model.vocab has no token for the byte 0x%1").arg(missingByte, 2, 16, QChar('0')));
    readAddedTokens(r, root, *tables);
    for (size_t id = 0; id < tables->idToBytes.size(); ++id)
        if (tables->idToBytes[id].empty())
            r.fail(QStringLiteral("the id %1 is neither in model.vocab nor in added_tokens").arg(id));

    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    logger(LogArea::Model)->info("Llama 3 tokenizer: {} ids, {} merges from {} in {:.0f} ms", tables->idToBytes.size(),
                                 tables->bpe.mergeCount(), path, ms);
    if (copy) {
        copy->vocabOrder = builder.takeVocabOrder();
        copy->merges = builder.takeMerges();
    }
    return Llama3Tokenizer(std::move(tables));
}

} // namespace echoforge
