#pragma once
// The pre-tokenization of Llama 3: text is cut into pieces by the pattern of its tokenizer.json
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
// with regex-engine semantics (at each position the first alternative that matches wins, greedy
// with backtracking), written out as a scanner over code points. \p{L} is the general category
// L (Lu Ll Lt Lm Lo), \p{N} is N (Nd Nl No), both from Qt's Unicode tables; \s is the Unicode
// White_Space property, as in the Rust regex engines of Hugging Face tokenizers and tiktoken.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace echoforge::text {

// The exact pattern this scanner implements, as written in tokenizer.json.
inline constexpr std::string_view kLlama3SplitPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

enum class CharClass : uint8_t {
    Letter,  // \p{L}
    Number,  // \p{N}
    Space,   // \s
    Other,   // [^\s\p{L}\p{N}]: punctuation, symbols, marks, controls, unassigned
};

CharClass classify(char32_t cp);

// The end (byte offset) of the piece that starts at byte `start` (< text.size()) of valid UTF-8
// `text`. Pieces tile the text: the next one starts where this one ends.
size_t llama3PieceEnd(std::string_view text, size_t start);

} // namespace echoforge::text
