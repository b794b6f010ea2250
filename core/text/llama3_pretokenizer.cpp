#include "core/text/llama3_pretokenizer.h"

#include <array>

#include <QChar>

#include "core/text/utf8.h"

namespace echoforge::text {
namespace {

constexpr std::array<CharClass, 128> makeAsciiClasses() {
    std::array<CharClass, 128> classes{};
    for (int c = 0; c < 128; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            classes[c] = CharClass::Letter;
        else if (c >= '0' && c <= '9')
            classes[c] = CharClass::Number;
        else if (c == ' ' || (c >= '\t' && c <= '\r'))  // TAB LF VT FF CR
            classes[c] = CharClass::Space;
        else
            classes[c] = CharClass::Other;
    }
    return classes;
}

constexpr std::array<CharClass, 128> kAsciiClasses = makeAsciiClasses();

// Unicode White_Space outside ASCII (PropList.txt; unchanged since Unicode 6.3).
bool isNonAsciiWhiteSpace(char32_t cp) {
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool isNewline(char32_t cp) { return cp == '\r' || cp == '\n'; }

struct Char {
    char32_t cp;
    CharClass cls;
    size_t end;  // byte offset just past it
};

Char charAt(std::string_view text, size_t pos) {
    const auto b = static_cast<unsigned char>(text[pos]);
    if (b < 0x80)
        return {b, kAsciiClasses[b], pos + 1};
    const char32_t cp = decodeUtf8(text, pos).codePoint;
    return {cp, classify(cp), pos};
}

size_t runEnd(std::string_view text, size_t pos, CharClass cls) {
    while (pos < text.size()) {
        const Char c = charAt(text, pos);
        if (c.cls != cls)
            break;
        pos = c.end;
    }
    return pos;
}

// (?i:'s|'t|'re|'ve|'m|'ll|'d) after the apostrophe at `afterQuote`; 0 when it does not match.
// Case-insensitive matching uses Unicode simple case folding, under which U+017F LATIN SMALL
// LETTER LONG S folds to 's' (CaseFolding.txt); no other character folds to t, r, e, v, m, l, d.
size_t contractionEnd(std::string_view text, size_t afterQuote) {
    if (afterQuote >= text.size())
        return 0;
    const Char first = charAt(text, afterQuote);
    const char32_t a = first.cp < 0x80 ? (first.cp | 0x20) : (first.cp == 0x17F ? U's' : first.cp);
    if (a == 's' || a == 't' || a == 'm' || a == 'd')
        return first.end;
    if (first.end >= text.size())
        return 0;
    const char32_t b = static_cast<unsigned char>(text[first.end]) | 0x20;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
        return first.end + 1;
    return 0;
}

// \s*[\r\n]+ | \s+(?!\S) | \s+ for a whitespace run starting at `start`.
size_t whitespacePieceEnd(std::string_view text, size_t start) {
    size_t afterLastNewline = 0;
    size_t lastCharStart = start;
    size_t pos = start;
    while (pos < text.size()) {
        const Char c = charAt(text, pos);
        if (c.cls != CharClass::Space)
            break;
        if (isNewline(c.cp))
            afterLastNewline = c.end;
        lastCharStart = pos;
        pos = c.end;
    }
    if (afterLastNewline != 0)
        return afterLastNewline;  // \s*[\r\n]+ backtracks to the run's last CR or LF
    if (pos == text.size())
        return pos;  // \s+(?!\S) at the end of the text
    if (lastCharStart > start)
        return lastCharStart;  // \s+(?!\S) leaves the last space to prefix the next word
    return pos;  // \s+: a single space before a non-space that no earlier alternative took
}

} // namespace

CharClass classify(char32_t cp) {
    if (cp < 0x80)
        return kAsciiClasses[cp];
    if (isNonAsciiWhiteSpace(cp))
        return CharClass::Space;
    switch (QChar::category(cp)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
        return CharClass::Letter;
    case QChar::Number_DecimalDigit:
    case QChar::Number_Letter:
    case QChar::Number_Other:
        return CharClass::Number;
    default:
        return CharClass::Other;
    }
}

size_t llama3PieceEnd(std::string_view text, size_t start) {
    const Char c = charAt(text, start);

    // (?i:'s|'t|'re|'ve|'m|'ll|'d)
    if (c.cp == '\'')
        if (const size_t end = contractionEnd(text, c.end))
            return end;

    // [^\r\n\p{L}\p{N}]?\p{L}+
    if (c.cls == CharClass::Letter)
        return runEnd(text, c.end, CharClass::Letter);
    if (c.cls != CharClass::Number && !isNewline(c.cp) && c.end < text.size() &&
        charAt(text, c.end).cls == CharClass::Letter)
        return runEnd(text, c.end, CharClass::Letter);

    // \p{N}{1,3}
    if (c.cls == CharClass::Number) {
        size_t end = c.end;
        for (int more = 0; more < 2 && end < text.size(); ++more) {
            const Char next = charAt(text, end);
            if (next.cls != CharClass::Number)
                break;
            end = next.end;
        }
        return end;
    }

    // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
    Char symbol = c;
    if (c.cp == ' ' && c.end < text.size())
        symbol = charAt(text, c.end);
    if (symbol.cls == CharClass::Other) {
        size_t end = runEnd(text, symbol.end, CharClass::Other);
        while (end < text.size() && isNewline(static_cast<unsigned char>(text[end])))
            ++end;
        return end;
    }

    return whitespacePieceEnd(text, start);
}

} // namespace echoforge::text
