#pragma once
// character.json, schema 1 (docs/characters.md): reading with errors that name the file and the
// field, and writing.

#include <QByteArray>
#include <QString>

#include "core/voices/character.h"

namespace echoforge {

inline constexpr int kCharacterSchemaVersion = 1;

// Reads `folder`/character.json. Relative file names (avatar, reference audio) become absolute
// paths inside `folder`. Throws echoforge::Error naming the file and the field at fault.
Character readCharacterFolder(const QString& folder, bool builtIn);

// The same from bytes; `fileForMessages` names the file in error sentences.
Character parseCharacterJson(const QByteArray& json, const QString& folder, const QString& fileForMessages,
                             bool builtIn);

// character.json for `c`, with file paths inside c.folder written relative to it.
QByteArray characterToJson(const Character& c);

// Whether `id` is a valid character id: 1 to 64 of [a-z0-9-], not starting with '-'.
bool isValidCharacterId(const QString& id);

// A valid id made from a display name ("Émile O'Hara" -> "emile-o-hara"); "character" if nothing is left.
QString characterIdFromName(const QString& name);

} // namespace echoforge
