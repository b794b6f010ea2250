#pragma once
// GPT-2's byte-level alphabet (openai/gpt-2 encoder.py: bytes_to_unicode), which tokenizer.json
// uses to write byte strings as printable text: the 188 printable Latin-1 bytes stand for
// themselves, the other 68 bytes (controls, space, 0x7F-0xA0, 0xAD) become U+0100, U+0101, ... in
// byte order. So the space byte is written 'Ġ' (U+0120) and the newline 'Ċ' (U+010A).

#include <cstdint>
#include <string>
#include <string_view>

namespace echoforge::text {

char32_t byteToUnicode(uint8_t byte);

// Sets `bytes` to the raw bytes behind a byte-level string (UTF-8); false when it holds a
// character outside the alphabet or is not valid UTF-8.
bool byteLevelToBytes(std::string_view byteLevelUtf8, std::string& bytes);

// Raw bytes written in the byte-level alphabet (UTF-8), as tokenizer.json stores tokens.
std::string bytesToByteLevel(std::string_view bytes);

} // namespace echoforge::text
