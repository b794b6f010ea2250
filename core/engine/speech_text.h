#pragma once
// Whether a text can be spoken at all: checked before any engine starts.

#include <QString>
#include <QStringList>

namespace echoforge {

// Throws echoforge::Error when `text` is empty or whitespace, holds no letter or digit (only
// emoji or symbols), or is longer than `characterLimit` characters (0: no limit).
void checkSpeakableText(const QString& text, int characterLimit = 0);

// The text cut at sentence ends, each piece trimmed; pieces without a letter or digit are dropped.
QStringList splitIntoSentences(const QString& text);

} // namespace echoforge
