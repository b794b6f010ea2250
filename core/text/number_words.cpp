#include "core/text/number_words.h"

#include <array>

#include <QHash>
#include <QStringList>

namespace echoforge::text {
namespace {

const std::array<const char*, 20> kOnes{"zero",    "one",     "two",       "three",    "four",
                                        "five",    "six",     "seven",     "eight",    "nine",
                                        "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                        "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
const std::array<const char*, 10> kTens{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
// Short scale, as US and modern British usage.
const std::array<const char*, 6> kScales{"", "thousand", "million", "billion", "trillion", "quadrillion"};
constexpr int kMaxCardinalDigits = 18;

QString below100(int n) {
    if (n < 20)
        return QString::fromLatin1(kOnes[std::size_t(n)]);
    QString s = QString::fromLatin1(kTens[std::size_t(n / 10)]);
    if (n % 10)
        s += ' ' + QString::fromLatin1(kOnes[std::size_t(n % 10)]);
    return s;
}

QString below1000(int n) {
    QStringList parts;
    if (n >= 100)
        parts << QString::fromLatin1(kOnes[std::size_t(n / 100)]) + QStringLiteral(" hundred");
    if (n % 100 || n == 0)
        parts << below100(n % 100);
    return parts.join(' ');
}

QString stripLeadingZeros(const QString& digits) {
    qsizetype i = 0;
    while (i + 1 < digits.size() && digits[i] == '0')
        ++i;
    return digits.mid(i);
}

// The ordinal of the last word of a cardinal: "three" -> "third", "twenty" -> "twentieth".
QString ordinalOfWord(const QString& word) {
    static const QHash<QString, QString> irregular{{"one", "first"},   {"two", "second"}, {"three", "third"},
                                                   {"five", "fifth"},  {"eight", "eighth"}, {"nine", "ninth"},
                                                   {"twelve", "twelfth"}};
    if (auto it = irregular.constFind(word); it != irregular.constEnd())
        return *it;
    if (word.endsWith('y'))
        return word.left(word.size() - 1) + QStringLiteral("ieth");
    return word + QStringLiteral("th");
}

} // namespace

QString digitWords(const QString& digits) {
    QStringList words;
    for (QChar c : digits)
        if (c.isDigit())
            words << QString::fromLatin1(kOnes[std::size_t(c.digitValue())]);
    return words.join(' ');
}

QString cardinalWords(const QString& digits) {
    const QString d = stripLeadingZeros(digits);
    if (d.isEmpty())
        return {};
    if (d.size() > kMaxCardinalDigits)
        return digitWords(digits);
    QStringList parts;
    const qsizetype groups = (d.size() + 2) / 3;
    for (qsizetype g = 0; g < groups; ++g) {
        // Groups of three from the left; the first may be shorter.
        const qsizetype end = d.size() - (groups - 1 - g) * 3;
        const qsizetype start = std::max<qsizetype>(0, end - 3);
        const int value = d.mid(start, end - start).toInt();
        if (value == 0 && groups > 1)
            continue;
        QString words = below1000(value);
        if (const char* scale = kScales[std::size_t(groups - 1 - g)]; *scale)
            words += ' ' + QString::fromLatin1(scale);
        parts << words;
    }
    return parts.join(' ');
}

QString ordinalWords(const QString& digits) {
    const QString cardinal = cardinalWords(digits);
    const qsizetype space = cardinal.lastIndexOf(' ');
    return cardinal.left(space + 1) + ordinalOfWord(cardinal.mid(space + 1));
}

QString yearWords(const QString& digits) {
    const QString d = stripLeadingZeros(digits);
    if (d.size() != 4)
        return cardinalWords(digits);
    const int year = d.toInt();
    const int century = year / 100, rest = year % 100;
    // 2000-2009 and x000 read as a number ("two thousand six"), as do years before 1000.
    if (year % 1000 == 0 || (year >= 2000 && year < 2010))
        return cardinalWords(d);
    const QString head = below100(century);
    if (rest == 0)
        return head + QStringLiteral(" hundred");
    if (rest < 10)
        return head + QStringLiteral(" oh ") + below100(rest);
    return head + ' ' + below100(rest);
}

QString decimalWords(const QString& whole, const QString& fraction) {
    QString out = whole.isEmpty() ? QString() : cardinalWords(whole) + ' ';
    out += QStringLiteral("point");
    if (!fraction.isEmpty())
        out += ' ' + digitWords(fraction);
    return out;
}

} // namespace echoforge::text
