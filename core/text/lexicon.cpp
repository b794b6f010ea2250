#include "core/text/lexicon.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include "core/common/error.h"

namespace echoforge::text {
namespace {

constexpr int kSchema = 1;
constexpr int kLongestRespelling = 200;

// Letters, digits and the marks inside words (O'Brien, co-op, Ph.D, C++, C#).
bool isWordCharacter(QChar c) {
    return c.isLetterOrNumber() || c == '\'' || c == QChar(0x2019) || c == '-' || c == '.' || c == '+' || c == '#' ||
           c == '&';
}

QString checkedWord(const QString& word) {
    const QString w = word.trimmed();
    if (w.isEmpty())
        throw Error("A lexicon entry needs a word.");
    for (QChar c : w)
        if (!isWordCharacter(c))
            throw Error(QStringLiteral("The lexicon word '%1' holds '%2'; a word may have letters, digits and ' - . + # & only.")
                            .arg(w, QString(c)));
    return w;
}

} // namespace

void Lexicon::set(const QString& word, const QString& respelling) {
    const QString w = checkedWord(word);
    const QString r = respelling.simplified();
    if (r.isEmpty())
        throw Error(QStringLiteral("The lexicon entry for '%1' needs a respelling: how to say it.").arg(w));
    if (r.size() > kLongestRespelling)
        throw Error(QStringLiteral("The respelling of '%1' is %2 characters long; keep it under %3.")
                        .arg(w).arg(r.size()).arg(kLongestRespelling));
    entries_[w.toLower()] = LexiconEntry{w, r};
}

bool Lexicon::remove(const QString& word) {
    return entries_.erase(word.trimmed().toLower()) > 0;
}

QString Lexicon::lookup(const QString& word) const {
    const auto it = entries_.find(word.toLower());
    return it == entries_.end() ? QString() : it->second.respelling;
}

QList<LexiconEntry> Lexicon::entries() const {
    QList<LexiconEntry> out;
    for (const auto& [key, entry] : entries_)
        out << entry;
    return out;
}

Lexicon Lexicon::mergedWith(const Lexicon& over) const {
    Lexicon merged = *this;
    for (const auto& [key, entry] : over.entries_)
        merged.entries_[key] = entry;
    return merged;
}

QString Lexicon::apply(const QString& text) const {
    if (entries_.empty())
        return text;
    QString out;
    out.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        if (!isWordCharacter(text[i])) {
            out += text[i++];
            continue;
        }
        qsizetype end = i;
        while (end < text.size() && isWordCharacter(text[end]))
            ++end;
        // The longest match from the start of the word: "Ph.D." is tried whole, then "Ph.D" ...,
        // so a sentence's full stop or a possessive does not hide a word.
        qsizetype len = end - i;
        QString respelling;
        for (; len > 0; --len) {
            respelling = lookup(text.mid(i, len));
            if (!respelling.isEmpty())
                break;
        }
        const bool wholeWordPrefix = len > 0 && (i + len == end || !text[i + len].isLetterOrNumber());
        if (wholeWordPrefix) {
            out += respelling;
            i += len;
        } else {
            out += text.mid(i, end - i);
            i = end;
        }
    }
    return out;
}

Lexicon Lexicon::load(const QString& path) {
    QFile file(path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read the lexicon %1: %2.").arg(path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        throw Error(QStringLiteral("The lexicon %1 is not a JSON object (%2).").arg(path, parseError.errorString()));
    const QJsonObject root = doc.object();
    if (root.value("schema").toInt() != kSchema)
        throw Error(QStringLiteral("The lexicon %1: field 'schema' must be %2.").arg(path).arg(kSchema));
    Lexicon lexicon;
    const QJsonObject entries = root.value("entries").toObject();
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (!it.value().isString())
            throw Error(QStringLiteral("The lexicon %1: the entry '%2' must be a string.").arg(path, it.key()));
        try {
            lexicon.set(it.key(), it.value().toString());
        } catch (const Error& e) {
            throw Error(QStringLiteral("The lexicon %1: %2").arg(path, e.sentence()));
        }
    }
    return lexicon;
}

void Lexicon::save(const QString& path) const {
    QJsonObject entries;
    for (const auto& [key, entry] : entries_)
        entries.insert(entry.word, entry.respelling);
    const QByteArray json = QJsonDocument(QJsonObject{{"schema", kSchema}, {"entries", entries}}).toJson();
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        throw Error(QStringLiteral("Cannot create the folder for the lexicon %1.").arg(path));
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(json) != json.size() || !out.commit())
        throw Error(QStringLiteral("Cannot write the lexicon %1: %2.").arg(path, out.errorString()));
}

QString lexiconPath(const QString& lexiconsDir, const QString& characterId) {
    const QDir dir(lexiconsDir);
    return characterId.isEmpty() ? dir.filePath("library.json") : dir.filePath("voices/" + characterId + ".json");
}

Lexicon voiceLexicon(const QString& lexiconsDir, const QString& characterId) {
    Lexicon library = Lexicon::load(lexiconPath(lexiconsDir));
    if (characterId.isEmpty())
        return library;
    return library.mergedWith(Lexicon::load(lexiconPath(lexiconsDir, characterId)));
}

} // namespace echoforge::text
