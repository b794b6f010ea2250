#pragma once
// UTF-8 decoding for the tokenizer: strict (RFC 3629: no overlongs, no surrogates, nothing above
// U+10FFFF) with replacement, so that any byte string can be tokenized without losing text.

#include <cstdint>
#include <string>
#include <string_view>

namespace echoforge::text {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

struct DecodedCodePoint {
    char32_t codePoint;  // U+FFFD when !valid
    bool valid;
};

// Decodes the code point at `pos` (< bytes.size()) and advances `pos` past it. An invalid
// sequence yields U+FFFD and advances past its maximal subpart (Unicode 15, section 3.9, "U+FFFD
// Substitution of Maximal Subparts"): the longest prefix of a valid sequence, or one byte.
DecodedCodePoint decodeUtf8(std::string_view bytes, size_t& pos);

// True when `bytes` is entirely valid UTF-8.
bool isValidUtf8(std::string_view bytes);

// `bytes` with every invalid sequence replaced by U+FFFD as described for decodeUtf8().
std::string replaceInvalidUtf8(std::string_view bytes);

// Appends the UTF-8 encoding of a valid scalar value.
void appendUtf8(std::string& out, char32_t cp);

} // namespace echoforge::text
