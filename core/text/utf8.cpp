#include "core/text/utf8.h"

namespace echoforge::text {
namespace {

bool isContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

} // namespace

DecodedCodePoint decodeUtf8(std::string_view bytes, size_t& pos) {
    const auto lead = static_cast<unsigned char>(bytes[pos]);
    if (lead < 0x80) {
        ++pos;
        return {lead, true};
    }
    // Lead byte: sequence length, payload bits, and the allowed range of the second byte, which
    // is where overlong forms (E0, F0), surrogates (ED) and values above U+10FFFF (F4) are refused
    // (Unicode 15, table 3-7 "Well-Formed UTF-8 Byte Sequences").
    int length = 0;
    char32_t cp = 0;
    unsigned char secondMin = 0x80, secondMax = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        cp = lead & 0x0F;
        if (lead == 0xE0) secondMin = 0xA0;
        if (lead == 0xED) secondMax = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        cp = lead & 0x07;
        if (lead == 0xF0) secondMin = 0x90;
        if (lead == 0xF4) secondMax = 0x8F;
    } else {
        ++pos;  // a stray continuation byte, C0, C1 or F5..FF: never part of a valid sequence
        return {kReplacementCharacter, false};
    }
    size_t next = pos + 1;
    for (int i = 1; i < length; ++i, ++next) {
        if (next >= bytes.size()) {
            pos = next;
            return {kReplacementCharacter, false};  // truncated at the end of the text
        }
        const auto b = static_cast<unsigned char>(bytes[next]);
        const bool ok = i == 1 ? (b >= secondMin && b <= secondMax) : isContinuation(b);
        if (!ok) {
            pos = next;  // the maximal subpart ends before the offending byte, which is read anew
            return {kReplacementCharacter, false};
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    pos = next;
    return {cp, true};
}

bool isValidUtf8(std::string_view bytes) {
    size_t pos = 0;
    while (pos < bytes.size()) {
        // ASCII runs are the common case: skip them eight bytes at a time.
        while (pos + 8 <= bytes.size()) {
            uint64_t word = 0;
            for (int i = 0; i < 8; ++i)
                word |= uint64_t(static_cast<unsigned char>(bytes[pos + i])) << (8 * i);
            if (word & 0x8080808080808080ULL)
                break;
            pos += 8;
        }
        if (pos >= bytes.size())
            break;
        if (!decodeUtf8(bytes, pos).valid)
            return false;
    }
    return true;
}

std::string replaceInvalidUtf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + 16);
    size_t pos = 0;
    while (pos < bytes.size()) {
        const size_t start = pos;
        if (decodeUtf8(bytes, pos).valid)
            out.append(bytes.substr(start, pos - start));
        else
            appendUtf8(out, kReplacementCharacter);
    }
    return out;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

} // namespace echoforge::text
