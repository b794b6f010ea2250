#pragma once
// One streaming pass over a Hugging Face tokenizer.json. model.vocab and model.merges, nearly all
// of the file's 9 MB, are handed to a sink entry by entry as they are read; everything else is
// kept as a small JSON document, where they are left as an empty object and an empty array. Not
// building a document of 400,000 strings is what keeps loading well under 300 ms.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <QString>
#include <nlohmann/json.hpp>

namespace echoforge::text {

class TokenizerJsonSink {
public:
    virtual ~TokenizerJsonSink() = default;
    // One entry of model.vocab: a token in the byte-level alphabet and its id.
    virtual void vocabEntry(std::string_view byteLevelToken, int64_t id) = 0;
    // model.vocab has been read entirely.
    virtual void vocabEnd() = 0;
    // Entry `index` of model.merges, from either the "left right" or the ["left", "right"] form.
    virtual void merge(size_t index, std::string_view left, std::string_view right) = 0;
};

// Parses `json` (the contents of `path`) and returns the document less vocab and merges.
// Throws echoforge::Error naming `path` for invalid or truncated JSON and malformed entries.
nlohmann::json readTokenizerJson(const QString& path, std::string_view json, TokenizerJsonSink& sink);

// Throws the one error sentence of tokenizer loading: "The tokenizer file X cannot be used: ...".
[[noreturn]] void refuseTokenizerFile(const QString& path, const QString& defect);

// `s` as a JSON string literal, quotes and escapes included, for error messages.
QString quotedJson(std::string_view s);

} // namespace echoforge::text
