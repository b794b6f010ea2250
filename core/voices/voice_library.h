#pragma once
// The characters EchoForge can speak as: the built-in ones shipped in assets/characters and the
// user's own in the data folder (AppPaths::voicesDir). One folder per character holding
// character.json (schema 1) and its files. A user character never replaces a built-in one: a user
// folder whose id is taken is skipped with an error.

#include <optional>

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include "core/voices/character.h"

namespace echoforge {

// Where the built-in characters are: ECHOFORGE_CHARACTERS_DIR when set, else the installed
// share/echoforge/characters next to the binary, else the source tree's assets/characters.
QString builtInCharactersDir();

class VoiceLibrary : public QObject {
    Q_OBJECT
public:
    explicit VoiceLibrary(QString builtInDir, QString userDir, QObject* parent = nullptr);

    // Reads both folders again (the constructor reads them once) and emits changed().
    void reload();

    // Built-in characters first, then the user's, each group sorted by name.
    QList<Character> characters() const;
    std::optional<Character> find(const QString& id) const;
    // Like find(), but throws echoforge::Error "There is no character 'x'..." when it is unknown.
    Character require(const QString& id) const;

    // One sentence per folder that was skipped: "<file>: field 'x' ...".
    QStringList loadErrors() const;

    QString builtInDir() const { return builtInDir_; }
    QString userDir() const { return userDir_; }

    // Saves `draft` as a new user character: its id is made from its name (made unique), its folder
    // created in userDir, its avatar and reference audio files copied in (as avatar.<ext> and
    // reference-<n>.<ext>), character.json written. Returns the character as stored.
    Character addUserCharacter(Character draft);
    // Rewrites an existing user character's character.json. Throws for built-in or unknown ids.
    void saveUserCharacter(const Character& character);
    // Deletes a user character's folder. Throws for built-in or unknown ids.
    void removeUserCharacter(const QString& id);
    // A user copy of any character, named "<name> (copy)", files included.
    Character duplicate(const QString& id);
    // Writes the character's folder to `destination`: a .zip file (made with the system's `zip`
    // tool, or an error saying it is missing) or, for any other path, a folder that must not exist yet.
    void exportCharacter(const QString& id, const QString& destination) const;

Q_SIGNALS:
    void changed();

private:
    QString builtInDir_;
    QString userDir_;
    QList<Character> characters_;
    QStringList loadErrors_;
};

} // namespace echoforge
