#include "core/text/text_normalizer.h"

#include <QRegularExpression>
#include <QStringList>

#include "core/text/normalizer_rules.h"
#include "core/text/pause_markup.h"
#include "core/text/number_words.h"

namespace echoforge::text {
namespace rules {
namespace {

// A number as written: 1,234,567 or 1234 with an optional decimal part, or .5
const QString kNumber = QStringLiteral(R"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)");

QRegularExpression pattern(const QString& re, bool ignoreCase = false) {
    return QRegularExpression(re, ignoreCase ? QRegularExpression::CaseInsensitiveOption
                                             : QRegularExpression::NoPatternOption);
}

bool isOne(const QString& number) {
    return number == QLatin1String("1");
}

// ---------------------------------------------------------------- times
QString hourWords(const QString& h) { return cardinalWords(h); }

QString minuteWords(const QString& m) {
    const int v = m.toInt();
    return v < 10 ? QStringLiteral("oh ") + cardinalWords(m) : cardinalWords(m);
}

QString unitCount(const QString& n, const char* singular) {
    const QString unit = QString::fromLatin1(singular);
    return cardinalWords(n) + ' ' + (n.toInt() == 1 ? unit : unit + 's');
}

// ---------------------------------------------------------------- dates
const QStringList& monthNames() {
    static const QStringList names{"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
    return names;
}

// "jan", "Sept", "MARCH" -> 1..12, 0 when not a month.
int monthNumber(const QString& word) {
    const QString w = word.toLower();
    if (w == QLatin1String("sept"))
        return 9;
    for (int i = 0; i < 12; ++i) {
        const QString full = monthNames()[i].toLower();
        if (w == full || (w.size() == 3 && full.startsWith(w)))
            return i + 1;
    }
    return 0;
}

const QString kMonth = QStringLiteral(
    "(January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)");

// A two-digit year "05" -> "zero five" (NeMo), "98" -> "ninety eight".
QString shortYearWords(const QString& y) {
    return y.startsWith('0') ? digitWords(y) : cardinalWords(y);
}

QString dateWords(int month, const QString& day, const QString& year, bool dayFirst) {
    const QString name = monthNames()[month - 1];
    QString out = dayFirst ? QStringLiteral("the %1 of %2").arg(ordinalWords(day), name)
                           : QStringLiteral("%1 %2").arg(name, ordinalWords(day));
    if (!year.isEmpty())
        out += ' ' + (year.size() == 2 ? shortYearWords(year) : yearWords(year));
    return out;
}

bool validDay(const QString& day) {
    const int d = day.toInt();
    return d >= 1 && d <= 31;
}

// ---------------------------------------------------------------- money
struct Currency {
    const char* one;
    const char* many;
    const char* minorOne;   // null: no minor unit spoken (yen)
    const char* minorMany;
};

const Currency* currencyFor(QChar symbol) {
    static const Currency dollar{"dollar", "dollars", "cent", "cents"};
    static const Currency pound{"pound", "pounds", "penny", "pence"};
    static const Currency euro{"euro", "euros", "cent", "cents"};
    static const Currency yen{"yen", "yen", nullptr, nullptr};
    static const Currency rupee{"rupee", "rupees", "paisa", "paise"};
    static const Currency won{"won", "won", nullptr, nullptr};
    switch (symbol.unicode()) {
    case '$': return &dollar;
    case 0x00A3: return &pound;
    case 0x20AC: return &euro;
    case 0x00A5: return &yen;
    case 0x20B9: return &rupee;
    case 0x20A9: return &won;
    default: return nullptr;
    }
}

QString scaleWord(const QString& s) {
    const QString l = s.toLower();
    if (l == "k" || l == "thousand") return QStringLiteral("thousand");
    if (l == "m" || l == "mn" || l == "million") return QStringLiteral("million");
    if (l == "b" || l == "bn" || l == "billion") return QStringLiteral("billion");
    if (l == "t" || l == "tn" || l == "trillion") return QStringLiteral("trillion");
    return {};
}

QString moneyWords(QChar symbol, const QString& amount, const QString& scale) {
    const Currency& c = *currencyFor(symbol);
    QString whole = amount.section('.', 0, 0);
    whole.remove(',');
    QString fraction = amount.contains('.') ? amount.section('.', 1) : QString();
    if (!scale.isEmpty())   // "$2.5 million": the amount as a number, then the currency
        return numberReading(amount) + ' ' + scaleWord(scale) + ' ' + QString::fromLatin1(c.many);
    // Trailing zeros after the cents say nothing ("$20.500" is twenty dollars fifty cents).
    while (fraction.size() > 2 && fraction.endsWith('0'))
        fraction.chop(1);
    if (fraction.size() > 2 || (!fraction.isEmpty() && !c.minorOne))
        return numberReading(amount) + ' ' + QString::fromLatin1(c.many);
    const int cents = fraction.isEmpty() ? 0 : fraction.leftJustified(2, '0').toInt();
    const bool hasWhole = !whole.isEmpty() && whole.toLongLong() != 0;
    QStringList parts;
    if (hasWhole || cents == 0)
        parts << cardinalWords(whole.isEmpty() ? QStringLiteral("0") : whole) + ' ' +
                     QString::fromLatin1(whole.toLongLong() == 1 ? c.one : c.many);
    if (cents > 0)
        parts << cardinalWords(QString::number(cents)) + ' ' + QString::fromLatin1(cents == 1 ? c.minorOne : c.minorMany);
    return parts.join(' ');
}

// ---------------------------------------------------------------- units
struct Unit {
    const char* symbol;
    const char* one;
    const char* many;
};

// Symbols as written after a number; matched case-sensitively ("m" metre, "M" not a unit).
const std::vector<Unit>& units() {
    static const std::vector<Unit> list{
        {"km/h", "kilometer per hour", "kilometers per hour"}, {"kph", "kilometer per hour", "kilometers per hour"},
        {"mph", "mile per hour", "miles per hour"},            {"m/s", "meter per second", "meters per second"},
        {"km²", "square kilometer", "square kilometers"},      {"m²", "square meter", "square meters"},
        {"km³", "cubic kilometer", "cubic kilometers"},        {"m³", "cubic meter", "cubic meters"},
        {"°C", "degree Celsius", "degrees Celsius"},           {"°F", "degree Fahrenheit", "degrees Fahrenheit"},
        {"kg", "kilogram", "kilograms"},                       {"KG", "kilogram", "kilograms"},
        {"kgs", "kilogram", "kilograms"},                      {"mg", "milligram", "milligrams"},
        {"g", "gram", "grams"},                                {"lbs", "pound", "pounds"},
        {"lb", "pound", "pounds"},                             {"oz", "ounce", "ounces"},
        {"km", "kilometer", "kilometers"},                     {"cm", "centimeter", "centimeters"},
        {"mm", "millimeter", "millimeters"},                   {"m", "meter", "meters"},
        {"mi", "mile", "miles"},                               {"ft", "foot", "feet"},
        {"yd", "yard", "yards"},                               {"ml", "milliliter", "milliliters"},
        {"mL", "milliliter", "milliliters"},                   {"l", "liter", "liters"},
        {"L", "liter", "liters"},                              {"ms", "millisecond", "milliseconds"},
        {"secs", "second", "seconds"},                         {"sec", "second", "seconds"},
        {"mins", "minute", "minutes"},                         {"min", "minute", "minutes"},
        {"hrs", "hour", "hours"},                              {"hr", "hour", "hours"},
        {"h", "hour", "hours"},                                {"wks", "week", "weeks"},
        {"wk", "week", "weeks"},                               {"mos", "month", "months"},
        {"mo", "month", "months"},                             {"yrs", "year", "years"},
        {"yr", "year", "years"},                               {"GHz", "gigahertz", "gigahertz"},
        {"MHz", "megahertz", "megahertz"},                     {"kHz", "kilohertz", "kilohertz"},
        {"Hz", "hertz", "hertz"},                              {"TB", "terabyte", "terabytes"},
        {"GB", "gigabyte", "gigabytes"},                       {"MB", "megabyte", "megabytes"},
        {"KB", "kilobyte", "kilobytes"},                       {"kB", "kilobyte", "kilobytes"},
        {"Mbps", "megabit per second", "megabits per second"}, {"mbps", "megabit per second", "megabits per second"},
        {"Gbps", "gigabit per second", "gigabits per second"}, {"kW", "kilowatt", "kilowatts"},
        {"kWh", "kilowatt hour", "kilowatt hours"},            {"W", "watt", "watts"},
        {"V", "volt", "volts"},                                {"°", "degree", "degrees"},
    };
    return list;
}

const QString& unitAlternation() {
    static const QString alternation = [] {
        std::vector<QString> symbols;
        for (const Unit& u : units())
            symbols.push_back(QRegularExpression::escape(QString::fromUtf8(u.symbol)));
        // Longest first, so "km/h" wins over "km" and "mins" over "min".
        std::stable_sort(symbols.begin(), symbols.end(), [](const QString& a, const QString& b) { return a.size() > b.size(); });
        return QStringList(symbols.begin(), symbols.end()).join('|');
    }();
    return alternation;
}

const Unit* unitFor(const QString& symbol) {
    for (const Unit& u : units())
        if (symbol == QString::fromUtf8(u.symbol))
            return &u;
    return nullptr;
}

QString signedReading(const QString& sign, const QString& number) {
    return (sign.isEmpty() ? QString() : QStringLiteral("minus ")) + numberReading(number);
}

// "1980" in a range or a decade reads as a year when it looks like one.
bool looksLikeYear(const QString& n) {
    if (n.size() != 4 || n.contains(',') || n.contains('.'))
        return false;
    const int v = n.toInt();
    return v >= 1100 && v <= 2099;
}

QString pluralOfWord(const QString& words) {
    if (words.endsWith('y'))
        return words.left(words.size() - 1) + QStringLiteral("ies");
    return words + 's';
}

} // namespace

void substitute(QString& text, const QRegularExpression& re,
                const std::function<QString(const QRegularExpressionMatch&)>& reading) {
    QString out;
    qsizetype last = 0;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        QString r = reading(m);
        if (r.isNull())
            continue;
        const qsizetype start = m.capturedStart(), end = m.capturedEnd();
        out += QStringView(text).mid(last, start - last);
        if (start > 0 && text[start - 1].isLetterOrNumber() && !r.isEmpty() && r.front().isLetterOrNumber())
            out += ' ';
        out += r;
        if (end < text.size() && text[end].isLetterOrNumber() && !r.isEmpty() && r.back().isLetterOrNumber())
            out += ' ';
        last = end;
    }
    if (last == 0)
        return;
    out += QStringView(text).mid(last);
    text = out;
}

bool sentenceContinuesWithCapital(const QString& text, qsizetype end) {
    if (end >= text.size())
        return false;   // the text ends there anyway
    qsizetype i = end;
    if (!text[i].isSpace())
        return false;
    while (i < text.size() && text[i].isSpace())
        ++i;
    return i < text.size() && text[i].isUpper();
}

QString numberReading(const QString& number) {
    QString n = number;
    n.remove(',');
    if (n.contains('.'))
        return decimalWords(n.section('.', 0, 0), n.section('.', 1));
    return cardinalWords(n);
}

void readTimeRanges(QString& text);

void readTimes(QString& text) {
    // 1:59, 01:59 p.m., 14:10:30, 1.59 pm; the am/pm marker may carry dots and a space.
    static const QRegularExpression clock = pattern(
        QStringLiteral(R"((?<![\d:.,])(\d{1,2})[:.](\d{2})(?::(\d{2}))?(?:\s?([ap])\.?\s?m\b\.?)?(?![\d:]))"), true);
    substitute(text, clock, [&text](const QRegularExpressionMatch& m) -> QString {
        const int h = m.captured(1).toInt(), min = m.captured(2).toInt();
        const bool dotted = text[m.capturedStart(2) - 1] == '.';
        if (h > 24 || min > 59 || (dotted && !m.hasCaptured(4)))
            return {};   // 3.14 is a number, not a time
        QString out;
        if (m.hasCaptured(3)) {
            out = unitCount(m.captured(1), "hour") + ' ' + unitCount(m.captured(2), "minute") + QStringLiteral(" and ") +
                  unitCount(m.captured(3), "second");
        } else if (min == 0) {
            out = hourWords(m.captured(1)) + (m.hasCaptured(4) ? QString() : QStringLiteral(" o'clock"));
        } else {
            out = hourWords(m.captured(1)) + ' ' + minuteWords(m.captured(2));
        }
        if (m.hasCaptured(4)) {
            out += ' ' + m.captured(4).toLower() + QStringLiteral(" m");
            if (m.captured(0).endsWith('.') && sentenceContinuesWithCapital(text, m.capturedEnd()))
                out += '.';
        }
        return out;
    });
    // 5pm, 5 p.m.
    static const QRegularExpression hourOnly = pattern(QStringLiteral(R"((?<![\d:.,])(\d{1,2})\s?([ap])\.?\s?m\b\.?)"), true);
    substitute(text, hourOnly, [&text](const QRegularExpressionMatch& m) -> QString {
        if (m.captured(1).toInt() > 12)
            return {};
        QString out = hourWords(m.captured(1)) + ' ' + m.captured(2).toLower() + QStringLiteral(" m");
        if (m.captured(0).endsWith('.') && sentenceContinuesWithCapital(text, m.capturedEnd()))
            out += '.';
        return out;
    });
    readTimeRanges(text);
}

void readTimeRanges(QString& text) {
    // "two p m-five p m": a range of times
    static const QRegularExpression range = pattern(QStringLiteral(R"(\b([ap] m|o'clock)\s?[-–]\s?(?=\w))"));
    substitute(text, range, [](const QRegularExpressionMatch& m) { return m.captured(1) + QStringLiteral(" to "); });
}

void readDates(QString& text) {
    // 2016-11-03 (ISO 8601), 2016/07/03
    static const QRegularExpression iso = pattern(QStringLiteral(R"(\b(\d{4})([-/])(\d{1,2})\2(\d{1,2})\b)"));
    substitute(text, iso, [](const QRegularExpressionMatch& m) -> QString {
        const int month = m.captured(3).toInt();
        if (month < 1 || month > 12 || !validDay(m.captured(4)))
            return {};
        return dateWords(month, m.captured(4), m.captured(1), false);
    });
    // 10/06/2005, 11/17/05, 15-01-2020: month first (US), unless the first number cannot be a month.
    static const QRegularExpression slashed = pattern(QStringLiteral(R"((?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-]))"));
    substitute(text, slashed, [](const QRegularExpressionMatch& m) -> QString {
        const int a = m.captured(1).toInt(), b = m.captured(3).toInt();
        if (a >= 1 && a <= 12 && validDay(m.captured(3)))
            return dateWords(a, m.captured(3), m.captured(4), false);
        // "15.01.2020": the first number cannot be a month, so the day comes first.
        if (b >= 1 && b <= 12 && validDay(m.captured(1)))
            return dateWords(b, m.captured(1), m.captured(4), true);
        return {};
    });
    // July 25, 2012 / Jan. 15 2020 / Jan-15-2020 / June 30
    static const QRegularExpression monthFirst = pattern(
        QStringLiteral(R"(\b%1\.?[\s-](\d{1,2})(?:st|nd|rd|th)?\b(?:,?[\s-](\d{4})\b)?)").arg(kMonth), true);
    substitute(text, monthFirst, [](const QRegularExpressionMatch& m) -> QString {
        const int month = monthNumber(m.captured(1));
        if (!month || !validDay(m.captured(2)))
            return {};
        return dateWords(month, m.captured(2), m.captured(3), false);
    });
    // 25 July 2012 / 25th of July / the 26th May
    static const QRegularExpression dayFirst = pattern(
        QStringLiteral(R"((\bthe\s+)?\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?%1\b\.?(?:,?\s+(\d{4})\b)?)").arg(kMonth), true);
    substitute(text, dayFirst, [](const QRegularExpressionMatch& m) -> QString {
        const int month = monthNumber(m.captured(3));
        if (!month || !validDay(m.captured(2)))
            return {};
        const QString reading = dateWords(month, m.captured(2), m.captured(4), true);
        return m.hasCaptured(1) ? m.captured(1) + reading.mid(4) : reading;
    });
}

void readMoney(QString& text) {
    static const QRegularExpression money = pattern(
        QStringLiteral(R"((?:(?<=^|[\s(])(-))?([$£€¥₹₩])\s?(%1)(?:\s?(thousand|million|billion|trillion|bn|mn|tn|[kmbt])\b)?)").arg(kNumber), true);
    substitute(text, money, [](const QRegularExpressionMatch& m) -> QString {
        const QString words = moneyWords(m.captured(2).front(), m.captured(3), m.captured(4));
        return m.hasCaptured(1) ? QStringLiteral("minus ") + words : words;
    });
    // "five dollars-ten dollars" after the pass above: a range of amounts.
    static const QRegularExpression range = pattern(
        QStringLiteral(R"((dollars?|cents?|pounds?|pence|penny|euros?|yen|rupees?|won)\s?[-–]\s?(?=[a-z]))"));
    substitute(text, range, [](const QRegularExpressionMatch& m) { return m.captured(1) + QStringLiteral(" to "); });
}

void readMeasures(QString& text) {
    // 12kg, 2-5 lb, -0.4kg, 2°C; a unit is whole: "5 mins", but not "5 minds".
    static const QRegularExpression measure = pattern(
        QStringLiteral(R"((?<![\w.,])(-)?(%1)(?:\s?[-–]\s?(%1))?\s?(%2)(?![\w²³]))").arg(kNumber, unitAlternation()));
    substitute(text, measure, [](const QRegularExpressionMatch& m) -> QString {
        const Unit* unit = unitFor(m.captured(4));
        if (!unit)
            return {};
        QString out = signedReading(m.captured(1), m.captured(2));
        if (m.hasCaptured(3))
            out += QStringLiteral(" to ") + numberReading(m.captured(3));
        const bool one = !m.hasCaptured(3) && isOne(m.captured(2)) && !m.hasCaptured(1);
        return out + ' ' + QString::fromUtf8(one ? unit->one : unit->many);
    });
    // 5%, 3.5 %, 5-10%
    static const QRegularExpression percent = pattern(
        QStringLiteral(R"((?<![\w.,])(-)?(%1)(?:\s?[-–]\s?(%1))?\s?%)").arg(kNumber));
    substitute(text, percent, [](const QRegularExpressionMatch& m) {
        QString out = signedReading(m.captured(1), m.captured(2));
        if (m.hasCaptured(3))
            out += QStringLiteral(" to ") + numberReading(m.captured(3));
        return out + QStringLiteral(" percent");
    });
}

void readRanges(QString& text) {
    // 1980-1986, 1960-80, 2-5, pages 10–20: "to" (CMOS 6.78: the en dash in a range means "to").
    static const QRegularExpression range = pattern(
        QStringLiteral(R"((?<![\w.,-])(%1)\s?[–-]\s?(%1)(?![\w.,]?\d))").arg(kNumber));
    substitute(text, range, [](const QRegularExpressionMatch& m) {
        const QString a = m.captured(1), b = m.captured(2);
        if (looksLikeYear(a) && (looksLikeYear(b) || (b.size() == 2 && !b.contains('.'))))
            return yearWords(a) + QStringLiteral(" to ") + (b.size() == 2 ? cardinalWords(b) : yearWords(b));
        return numberReading(a) + QStringLiteral(" to ") + numberReading(b);
    });
}

void readOrdinalsAndDecades(QString& text) {
    static const QRegularExpression ordinal = pattern(QStringLiteral(R"(\b(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th)\b)"), true);
    substitute(text, ordinal, [](const QRegularExpressionMatch& m) -> QString {
        QString n = m.captured(1);
        n.remove(',');
        const int lastTwo = n.right(2).toInt(), last = lastTwo % 10;
        const QString expected = (lastTwo >= 11 && lastTwo <= 13) ? "th"
                                 : last == 1                      ? "st"
                                 : last == 2                      ? "nd"
                                 : last == 3                      ? "rd"
                                                                  : "th";
        if (m.captured(2).toLower() != expected)
            return {};   // "1th" is not an ordinal; leave it to the number pass
        return ordinalWords(n);
    });
    // 1980s, 1900s, '80s, 80s, 1960s-80s
    static const QRegularExpression decade =
        pattern(QStringLiteral(R"((?<![\w'’])['’]?(\d{1,3}0)'?s\b(?:\s?[-–]\s?['’]?(\d{1,3}0)'?s\b)?)"));
    const auto decadeWords = [](const QString& n) -> QString {
        if (n.size() == 4)
            return pluralOfWord(yearWords(n));
        if (n.size() == 2 && n != QLatin1String("00"))
            return pluralOfWord(cardinalWords(n));
        return {};
    };
    substitute(text, decade, [&decadeWords](const QRegularExpressionMatch& m) -> QString {
        const QString first = decadeWords(m.captured(1));
        if (first.isEmpty() || !m.hasCaptured(2))
            return first;
        const QString second = decadeWords(m.captured(2));
        return second.isEmpty() ? QString() : first + QStringLiteral(" to ") + second;
    });
}

void readFractions(QString& text) {
    // 1/2, 3/4, 4 1/2 lbs: the common fractions by name (CMOS 9.15); others "n over d".
    static const QRegularExpression fraction = pattern(
        QStringLiteral(R"((?<![\w/.,])(?:(\d+)\s)?(\d{1,2})/(\d{1,2})(?![\w/])(?:\s?(%1)(?![\w²³]))?)").arg(unitAlternation()));
    substitute(text, fraction, [](const QRegularExpressionMatch& m) -> QString {
        const QString numerator = m.captured(2), denominator = m.captured(3);
        const int num = numerator.toInt(), den = denominator.toInt();
        if (den < 2)
            return {};
        const bool mixed = m.hasCaptured(1);
        QString part;
        if (den == 2 && num == 1)
            part = mixed ? QStringLiteral("a half") : QStringLiteral("one half");
        else if (den == 4)
            part = (num == 1 && mixed ? QStringLiteral("a") : cardinalWords(numerator)) +
                   (num == 1 ? QStringLiteral(" quarter") : QStringLiteral(" quarters"));
        else if (den <= 10)
            part = (num == 1 && mixed ? QStringLiteral("a") : cardinalWords(numerator)) + ' ' +
                   (num == 1 ? ordinalWords(denominator) : pluralOfWord(ordinalWords(denominator)));
        else
            part = cardinalWords(numerator) + QStringLiteral(" over ") + cardinalWords(denominator);
        QString out = mixed ? cardinalWords(m.captured(1)) + QStringLiteral(" and ") + part : part;
        if (const Unit* unit = m.hasCaptured(4) ? unitFor(m.captured(4)) : nullptr)
            out += ' ' + QString::fromUtf8(mixed || num > 1 ? unit->many : unit->one);
        return out;
    });
}

void readNumbers(QString& text) {
    // A minus sign only where a number starts a word: "-2", "(-5", not "covid-19".
    static const QRegularExpression number = pattern(QStringLiteral(R"((?:(?<=^|[\s(\[{"'])([-−]))?(?<!\d)(%1)(?!\d))").arg(kNumber));
    substitute(text, number, [](const QRegularExpressionMatch& m) -> QString {
        QString n = m.captured(2);
        const QString sign = m.hasCaptured(1) ? QStringLiteral("minus ") : QString();
        if (!n.contains('.') && !n.contains(',')) {
            if (n.size() > 1 && n.startsWith('0'))
                return sign + digitWords(n);           // 007, 0800: each digit
            if (n.size() > 15)
                return sign + digitWords(n);           // card and account numbers
            if (looksLikeYear(n) && sign.isEmpty())
                return yearWords(n);                   // NeMo: a bare 4-digit number is a year
        }
        return sign + numberReading(n);
    });
}

} // namespace rules

QString normalizeForSpeech(const QString& input, const Lexicon& lexicon) {
    using namespace rules;
    QString text = lexicon.apply(input);
    readElectronic(text);
    expandAbbreviations(text);
    readPhoneNumbers(text);
    readTimes(text);
    readDates(text);
    readMoney(text);
    readFractions(text);
    readMeasures(text);
    readRanges(text);
    readOrdinalsAndDecades(text);
    readNumbers(text);
    readAcronyms(text);
    readSymbols(text);
    // Runs of spaces become one; line breaks stay, since blank lines end paragraphs.
    static const QRegularExpression spaces(QStringLiteral("[ \\t]+"));
    text.replace(spaces, QStringLiteral(" "));
    static const QRegularExpression spaceAtLineEdge(QStringLiteral(" *\\n *"));
    text.replace(spaceAtLineEdge, QStringLiteral("\n"));
    static const QRegularExpression spaceBeforeStop(QStringLiteral(" +([.,!?;:])(?=\\s|$)"));
    text.replace(spaceBeforeStop, QStringLiteral("\\1"));
    return text.trimmed();
}

QString spokenForm(const QString& text, const Lexicon& lexicon) {
    QStringList parts;
    for (const TextSpan& span : splitAtPauses(text)) {
        if (!span.text.isEmpty())
            parts << normalizeForSpeech(span.text, lexicon);
        if (span.pauseAfter > 0)
            parts << QStringLiteral("[pause %1s]").arg(span.pauseAfter);
    }
    return parts.join(' ');
}

} // namespace echoforge::text
