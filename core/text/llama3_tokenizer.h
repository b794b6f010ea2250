#pragma once
// The Llama 3 byte-level BPE tokenizer (128,256 ids) that CSM-1B reads text through, loaded from a
// Hugging Face tokenizer.json. Exact: it gives the ids of the reference tokenizer for every input
// (docs/tokenizer.md). No torch, no regex engine; safe to share between threads (all methods const).
//
//   auto tok = echoforge::Llama3Tokenizer::load(echoforge::findTokenizerJson(paths.modelsDir));
//   std::vector<int32_t> ids = tok.encodeSegment(0, "Hello there.");  // 128000 ... 128001

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <QString>

namespace echoforge {

namespace text {
struct TokenizerTablesCopy;
}

class Llama3Tokenizer {
public:
    // Reads and checks a tokenizer.json. Throws echoforge::Error naming the file and the defect
    // (missing, unreadable, truncated JSON, a missing or malformed field, an unsupported
    // pre-tokenizer or decoder).
    static Llama3Tokenizer load(const QString& path);
    // The same, keeping a binary copy of the tables in `cacheDir` (tokenizer_cache.h): the next
    // load of an unchanged file reads the copy instead of the JSON. A missing, stale or damaged
    // copy is read from the JSON again and rewritten.
    static Llama3Tokenizer load(const QString& path, const QString& cacheDir);

    // The ids of `utf8` as ordinary text: no begin/end ids are added, and special-token strings
    // such as "<|begin_of_text|>" inside the text are tokenized like any other characters.
    // Invalid UTF-8 never throws: each maximal invalid byte sequence (Unicode's "maximal subpart"
    // practice) is replaced by U+FFFD and the rest of the text is kept.
    std::vector<int32_t> encode(std::string_view utf8) const;

    // The bytes the ids stand for, concatenated; special ids give their text ("<|end_of_text|>").
    // decode(encode(x)) == x for valid UTF-8 x. Ids that split a character give its partial bytes,
    // so decoding a stream piece by piece and concatenating equals decoding it whole.
    // Throws echoforge::Error for an id outside [0, vocabSize()).
    std::string decode(std::span<const int32_t> ids) const;

    // A CSM text segment, as the reference generator builds it:
    // [<|begin_of_text|>] + encode("[speaker]text") + [<|end_of_text|>].
    std::vector<int32_t> encodeSegment(int speaker, std::string_view text) const;

    int32_t beginOfTextId() const;  // 128000 for Llama 3
    int32_t endOfTextId() const;    // 128001 for Llama 3
    int32_t vocabSize() const;      // every id, special ids included: 128,256 for Llama 3
    QString sourcePath() const;

    struct Tables;  // the loaded vocabulary and merges (llama3_tokenizer_tables.h)

private:
    explicit Llama3Tokenizer(std::shared_ptr<const Tables> tables);
    // The JSON reader; `copy`, when given, receives what the cached copy needs.
    static Llama3Tokenizer loadJson(const QString& path, text::TokenizerTablesCopy* copy);
    std::shared_ptr<const Tables> tables_;  // immutable once loaded: copies are cheap and thread-safe
};

} // namespace echoforge
