#pragma once
// A pronunciation lexicon: words and how to say them ("Nguyen" -> "win", "SQL" -> "sequel"),
// applied to whole words before the text normaliser reads numbers and abbreviations. There is one
// for the whole library and one per character (the character's entries win), stored as JSON in
// the user's data folder (AppPaths::lexiconsDir): library.json and voices/<id>.json.

#include <map>

#include <QList>
#include <QString>

namespace echoforge::text {

struct LexiconEntry {
    QString word;         // as written in a text; matched whole and ignoring case
    QString respelling;   // what is spoken instead
};

class Lexicon {
public:
    // Adds or replaces an entry. Throws echoforge::Error when the word is empty or holds a space or
    // a character a word cannot have, or the respelling is empty or over 200 characters.
    void set(const QString& word, const QString& respelling);
    bool remove(const QString& word);
    QString lookup(const QString& word) const;   // empty when unknown
    QList<LexiconEntry> entries() const;         // sorted by word, ignoring case
    bool isEmpty() const { return entries_.empty(); }
    int size() const { return int(entries_.size()); }

    // This lexicon with `over`'s entries added, replacing ours for the same word.
    Lexicon mergedWith(const Lexicon& over) const;
    // `text` with every whole-word match replaced by its respelling.
    QString apply(const QString& text) const;

    // Reads a lexicon file; a missing file is an empty lexicon. Throws echoforge::Error naming the
    // file and the entry when it is not a lexicon.
    static Lexicon load(const QString& path);
    // Writes it atomically, creating the folder. Throws echoforge::Error when it cannot.
    void save(const QString& path) const;

private:
    std::map<QString, LexiconEntry> entries_;   // keyed by the lower-cased word
};

// library.json, or voices/<id>.json for a character, under `lexiconsDir`.
QString lexiconPath(const QString& lexiconsDir, const QString& characterId = {});
// The library's lexicon with the character's entries over it (empty id: the library's alone).
Lexicon voiceLexicon(const QString& lexiconsDir, const QString& characterId);

} // namespace echoforge::text
