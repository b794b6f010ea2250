// The text normaliser's passes over words and symbols: web addresses, abbreviations, telephone
// numbers, acronyms and the symbols left after the number passes (text_normalizer.h).

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

#include "core/text/normalizer_rules.h"
#include "core/text/number_words.h"

namespace echoforge::text::rules {
namespace {

QString spelled(const QString& letters) {
    QStringList out;
    for (QChar c : letters)
        out << QString(c).toLower();
    return out.join(' ');
}

// ---------------------------------------------------------------- e-mail and URLs
// Top-level domains said as a word (NeMo: "dot com", "dot edu"); any other two-letter one is
// spelled ("dot d e").
bool tldSaidAsWord(const QString& label) {
    static const QSet<QString> words{"com", "org", "net", "edu", "gov", "info", "biz", "io", "app", "dev", "html", "htm"};
    return words.contains(label.toLower()) || label.size() > 2;
}

QString electronicWords(const QString& address) {
    static const QHash<QChar, QString> symbols{{'.', "dot"},   {'/', "slash"},   {':', "colon"},   {'-', "dash"},
                                               {'_', "underscore"}, {'@', "at"},  {'?', "question mark"},
                                               {'=', "equals"}, {'&', "and"},     {'#', "hash"},    {'~', "tilde"},
                                               {'+', "plus"},  {'%', "percent"}};
    // The host is what follows "scheme://" up to the first slash; its last label is the
    // top-level domain.
    const qsizetype schemeEnd = address.indexOf(QLatin1String("://"));
    const qsizetype hostStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
    qsizetype hostEnd = address.indexOf('/', hostStart);
    if (hostEnd < 0)
        hostEnd = address.size();
    const qsizetype tldStart = address.lastIndexOf('.', hostEnd - 1) + 1;
    QStringList words;
    qsizetype i = 0;
    while (i < address.size()) {
        const QChar c = address[i];
        if (c.isDigit()) {
            words << digitWords(QString(c));
            ++i;
        } else if (c.isLetter()) {
            qsizetype end = i;
            while (end < address.size() && address[end].isLetter())
                ++end;
            const QString word = address.mid(i, end - i);
            const bool isScheme = end == schemeEnd;
            const bool isTld = tldStart > hostStart && i == tldStart && end == hostEnd;
            if (isScheme || word.compare(QLatin1String("www"), Qt::CaseInsensitive) == 0 || (isTld && !tldSaidAsWord(word)))
                words << spelled(word);
            else
                words << word.toLower();
            i = end;
        } else {
            words << symbols.value(c, QString(c));
            ++i;
        }
    }
    return words.join(' ');
}

// Bare domains are found only with these endings ("it", "us" and "co" end too many typos).
const QString kTlds = QStringLiteral("com|org|net|edu|gov|io|ai|app|dev|uk|de|fr|nl|au|info|biz|sm|eu|ie");

// ---------------------------------------------------------------- abbreviations
struct Abbreviation {
    const char* written;      // with its full stop(s)
    const char* spoken;
    bool canEndSentence;      // "etc." may end one; "Dr." stands before a name
};

const std::vector<Abbreviation>& abbreviations() {
    // Readings: the abbreviation lists of the Chicago Manual of Style (17th ed., 10.17, 10.42)
    // and Merriam-Webster; titles as NeMo's whitelist reads them ("Mrs." -> "misses").
    static const std::vector<Abbreviation> list{
        {"Mr.", "mister", false},          {"Mrs.", "misses", false},       {"Ms.", "miz", false},
        {"Prof.", "professor", false},   {"Rev.", "reverend", false},
        {"Gen.", "general", false},        {"Capt.", "captain", false},     {"Lt.", "lieutenant", false},
        {"Col.", "colonel", false},        {"Sgt.", "sergeant", false},     {"Gov.", "governor", false},
        {"Sen.", "senator", false},        {"Mt.", "mount", false},         {"Jr.", "junior", true},
        {"Sr.", "senior", true},           {"Ave.", "avenue", true},        {"Rd.", "road", true},
        {"Blvd.", "boulevard", true},      {"Inc.", "incorporated", true},  {"Ltd.", "limited", true},
        {"Corp.", "corporation", true},    {"Dept.", "department", true},   {"Fig.", "figure", false},
        {"fig.", "figure", false},         {"Vol.", "volume", false},       {"vol.", "volume", false},
        {"Ch.", "chapter", false},         {"ch.", "chapter", false},       {"approx.", "approximately", false},
        {"e.g.", "for example", false},    {"i.e.", "that is", false},      {"etc.", "et cetera", true},
        {"vs.", "versus", false},          {"cf.", "compare", false},       {"a.k.a.", "also known as", false},
        {"est.", "established", false},    {"U.S.", "U S", false},          {"U.K.", "U K", false},
        {"Ph.D.", "P H D", false},          {"a.m.", "a m", true},           {"p.m.", "p m", true},
    };
    return list;
}

QString previousWord(const QString& text, qsizetype pos) {
    qsizetype end = pos;
    while (end > 0 && text[end - 1].isSpace())
        --end;
    qsizetype start = end;
    while (start > 0 && !text[start - 1].isSpace())
        --start;
    return text.mid(start, end - start);
}

QString nextWord(const QString& text, qsizetype pos) {
    qsizetype start = pos;
    while (start < text.size() && text[start].isSpace())
        ++start;
    qsizetype end = start;
    while (end < text.size() && !text[end].isSpace())
        ++end;
    return text.mid(start, end - start);
}

// ---------------------------------------------------------------- acronyms
// Upper-case words said as words, not letters (Merriam-Webster gives each as one word).
const QSet<QString>& acronymsSaidAsWords() {
    static const QSet<QString> words{"NASA", "NATO", "UNESCO", "UNICEF", "NAFTA", "OPEC", "FIFA", "UEFA", "LASER",
                                     "RADAR", "SCUBA", "AIDS", "COVID", "NASDAQ", "ASAP", "PIN", "RAM", "ROM",
                                     "SIM", "ZIP", "GIF", "JPEG", "SWAT", "POTUS", "SARS", "LOL", "YOLO", "OK"};
    return words;
}

// Short upper-case words of ordinary English (a shouted "NO" is not an initialism).
const QSet<QString>& shoutedWords() {
    static const QSet<QString> words{"A",   "I",   "NO",  "YES", "THE", "AND", "YOU", "GO",  "ME",  "MY",  "WE",
                                     "HE",  "SHE", "IT",  "IS",  "AM",  "ARE", "ON",  "IN",  "TO",  "OF",  "OR",
                                     "SO",  "UP",  "AT",  "BY",  "DO",  "BE",  "AN",  "AS",  "IF",  "HI",  "OH",
                                     "ALL", "FOR", "NOT", "BUT", "OUT", "NOW", "GET", "LET", "YET", "WHY", "HOW",
                                     "WHO", "SIR", "MAN", "CAN", "WAS", "HER", "HIS", "OUR", "BIG", "BAD", "NEW",
                                     "OLD", "ONE", "TWO", "TEN", "YOUR", "STOP", "HELP", "WAIT", "HELLO", "NEVER"};
    return words;
}

// Whether most words of the text are upper case: then it is shouted, not full of initialisms.
bool mostlyUpperCase(const QString& text) {
    int upper = 0, words = 0;
    static const QRegularExpression word(QStringLiteral("\\b[A-Za-z]{2,}\\b"));
    auto it = word.globalMatch(text);
    while (it.hasNext()) {
        const QString w = it.next().captured(0);
        ++words;
        upper += w == w.toUpper();
    }
    return words >= 4 && upper * 2 > words;
}

} // namespace

void readElectronic(QString& text) {
    // name@example.com (RFC 5322's common form)
    static const QRegularExpression email(QStringLiteral(R"([\w.+-]+@[\w-]+(?:\.[\w-]+)+)"));
    // https://..., www...., and bare domains with a known top-level domain
    static const QRegularExpression url(
        QStringLiteral(R"((?:\b(?:https?|ftp|file):///?|\bwww\.)[^\s]+|\b[\w-]+(?:\.[\w-]+)*\.(?:%1)\b(?:/[^\s]*)?)").arg(kTlds),
        QRegularExpression::CaseInsensitiveOption);
    for (const QRegularExpression* re : {&email, &url}) {
        substitute(text, *re, [&text](const QRegularExpressionMatch& m) -> QString {
            QString address = m.captured(0);
            // A sentence's full stop or comma after an address is not part of it.
            QString trailing;
            while (!address.isEmpty() && QStringLiteral(".,;:!?)\"'").contains(address.back())) {
                trailing.prepend(address.back());
                address.chop(1);
            }
            if (!address.contains('.') && !address.contains('/'))
                return {};
            return electronicWords(address) + trailing;
        });
    }
}

void expandAbbreviations(QString& text) {
    // Compiled once (thread-safe static initialisation): the normaliser runs on the CSM lane and
    // in the studio's preview at the same time.
    static const std::vector<QRegularExpression> patterns = [] {
        std::vector<QRegularExpression> list;
        for (const Abbreviation& a : abbreviations())
            list.emplace_back(QStringLiteral("(?<![\\w.])") + QRegularExpression::escape(QString::fromLatin1(a.written)) +
                              QStringLiteral("(?!\\w)"));
        return list;
    }();
    for (std::size_t i = 0; i < abbreviations().size(); ++i) {
        const Abbreviation& a = abbreviations()[i];
        const QRegularExpression* it = &patterns[i];
        substitute(text, *it, [&](const QRegularExpressionMatch& m) {
            QString spoken = QString::fromLatin1(a.spoken);
            // "etc." at the end of a sentence ends it too.
            if (a.canEndSentence && sentenceContinuesWithCapital(text, m.capturedEnd()))
                spoken += '.';
            return spoken;
        });
    }
    // "St." is a saint before a name ("St. Paul") and a street after one ("1428 Elm St.").
    static const QRegularExpression saintOrStreet(QStringLiteral(R"((?<![\w.])(St|Dr)\.(?!\w))"));
    substitute(text, saintOrStreet, [&text](const QRegularExpressionMatch& m) {
        // A capitalised word or a number before it names a street ("Elm St.", "12 Oak Dr."), unless
        // that word ends a sentence.
        const QString before = previousWord(text, m.capturedStart());
        const QString after = nextWord(text, m.capturedEnd());
        const bool afterName = !before.isEmpty() && (before.front().isUpper() || before.front().isDigit()) &&
                               !QStringLiteral(".!?:;").contains(before.back());
        const bool beforeName = !after.isEmpty() && after.front().isUpper();
        // A street needs its name before it: at the start of a sentence it is a title whatever
        // follows ("Dr. win" after a lexicon respelled "Nguyen").
        const bool startsSentence = before.isEmpty() || QStringLiteral(".!?:;").contains(before.back());
        const bool street = afterName || (!beforeName && !(startsSentence && !after.isEmpty()));
        const bool drive = m.captured(1) == QLatin1String("Dr");
        QString spoken = street ? (drive ? QStringLiteral("Drive") : QStringLiteral("Street"))
                                : (drive ? QStringLiteral("doctor") : QStringLiteral("Saint"));
        if (street && sentenceContinuesWithCapital(text, m.capturedEnd()))
            spoken += '.';
        return spoken;
    });
    // "No. 5", "#5": a number
    static const QRegularExpression numero(QStringLiteral(R"((?<![\w.])(?:No\.|#)\s?(?=\d))"));
    substitute(text, numero, [](const QRegularExpressionMatch&) { return QStringLiteral("number "); });
}

void readPhoneNumbers(QString& text) {
    // (555) 123-4567, 555-123-4567, 555.123.4567, +1 555 123 4567, +44 20 7946 0958: each digit,
    // a comma between groups (Sproat et al. 2001, "telephone numbers" are read as digit strings).
    static const QRegularExpression national(QStringLiteral(
        R"((?<![\w+])(?:\+(1)[\s.-]?)?(?:\((\d{3})\)\s?|(\d{3})[\s.-])(\d{3})[\s.-](\d{4})(?![\w-]))"));
    static const QRegularExpression international(QStringLiteral(R"((?<![\w+])\+(\d{1,3})((?:[\s.-]\d{1,4}){2,5})(?![\w-]))"));
    const auto readGroups = [](const QRegularExpressionMatch& m) {
        QStringList groups;
        if (m.hasCaptured(1))
            groups << QStringLiteral("plus ") + digitWords(m.captured(1));
        for (int g = 2; g <= m.lastCapturedIndex(); ++g)
            if (m.hasCaptured(g))
                for (const QString& group : m.captured(g).split(QRegularExpression(QStringLiteral("[\\s.-]")), Qt::SkipEmptyParts))
                    groups << digitWords(group);
        return groups.join(QStringLiteral(", "));
    };
    substitute(text, national, readGroups);
    substitute(text, international, readGroups);
}

void readAcronyms(QString& text) {
    if (mostlyUpperCase(text))
        return;
    // FBI -> F B I, CDs -> C D's; NASA stays a word.
    static const QRegularExpression acronym(QStringLiteral(R"((?<![\w'’.-])([A-Z]{2,5})(s)?(?![\w'’-]))"));
    substitute(text, acronym, [](const QRegularExpressionMatch& m) -> QString {
        const QString letters = m.captured(1);
        if (letters == QLatin1String("OK"))
            return m.hasCaptured(2) ? QString() : QStringLiteral("okay");
        if (acronymsSaidAsWords().contains(letters) || shoutedWords().contains(letters))
            return {};
        // Longer ones with a vowel are usually said as a word (NASA, NATO); without one, spelled.
        static const QRegularExpression vowel(QStringLiteral("[AEIOU]"));
        if (letters.size() >= 4 && letters.contains(vowel) && !m.hasCaptured(2))
            return {};
        QString out = spelled(letters).toUpper();
        if (m.hasCaptured(2))
            out += QStringLiteral("'s");
        return out;
    });
}

void readSymbols(QString& text) {
    static const QList<QPair<QRegularExpression, QString>> symbols{
        {QRegularExpression(QStringLiteral("\\s*&\\s*")), QStringLiteral(" and ")},
        {QRegularExpression(QStringLiteral("\\s*%")), QStringLiteral(" percent")},
        {QRegularExpression(QStringLiteral("\\s*\\+\\s*")), QStringLiteral(" plus ")},
        {QRegularExpression(QStringLiteral("\\s*±\\s*")), QStringLiteral(" plus or minus ")},
        {QRegularExpression(QStringLiteral("\\s*°")), QStringLiteral(" degrees")},
        {QRegularExpression(QStringLiteral("\\s*=\\s*")), QStringLiteral(" equals ")},
        {QRegularExpression(QStringLiteral("\\s*×\\s*")), QStringLiteral(" times ")},
        {QRegularExpression(QStringLiteral("#")), QStringLiteral(" hash ")},
        {QRegularExpression(QStringLiteral("@")), QStringLiteral(" at ")},
        {QRegularExpression(QStringLiteral("\\$")), QStringLiteral(" dollar ")},
    };
    for (const auto& [re, spoken] : symbols)
        text.replace(re, spoken);
}

} // namespace echoforge::text::rules
