#include "core/text/byte_level.h"

#include <array>

#include "core/text/utf8.h"

namespace echoforge::text {
namespace {

// Bytes that are printable Latin-1 and stand for themselves.
constexpr bool isSelfMapped(int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}

constexpr int kAlphabetEnd = 0x100 + 68;  // one past the highest character of the alphabet
constexpr int16_t kNotInAlphabet = -1;

struct ByteLevelTables {
    std::array<char32_t, 256> toUnicode{};
    std::array<int16_t, kAlphabetEnd> toByte{};
};

constexpr ByteLevelTables makeTables() {
    ByteLevelTables t{};
    for (auto& b : t.toByte)
        b = kNotInAlphabet;
    char32_t nextShifted = 0x100;
    for (int b = 0; b < 256; ++b) {
        const char32_t cp = isSelfMapped(b) ? char32_t(b) : nextShifted++;
        t.toUnicode[b] = cp;
        t.toByte[cp] = static_cast<int16_t>(b);
    }
    return t;
}

constexpr ByteLevelTables kTables = makeTables();

} // namespace

char32_t byteToUnicode(uint8_t byte) { return kTables.toUnicode[byte]; }

bool byteLevelToBytes(std::string_view byteLevelUtf8, std::string& bytes) {
    bytes.clear();
    size_t pos = 0;
    while (pos < byteLevelUtf8.size()) {
        const DecodedCodePoint d = decodeUtf8(byteLevelUtf8, pos);
        if (!d.valid || d.codePoint >= kAlphabetEnd || kTables.toByte[d.codePoint] == kNotInAlphabet)
            return false;
        bytes += static_cast<char>(kTables.toByte[d.codePoint]);
    }
    return true;
}

std::string bytesToByteLevel(std::string_view bytes) {
    std::string out;
    for (const char c : bytes)
        appendUtf8(out, kTables.toUnicode[static_cast<uint8_t>(c)]);
    return out;
}

} // namespace echoforge::text
