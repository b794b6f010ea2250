#pragma once
// Script mode: lines written "Name: text" are spoken by the character of that name, in order, as
// one conversation rendered into one track. Blank lines are skipped; a line without a name
// continues the previous speaker's turn.
// Shared by the studio and the HTTP API (a "script" request): both read scripts with this code.

#include <optional>

#include <QList>
#include <QString>

namespace echoforge {

struct ScriptTurn {
    QString speaker;   // as written
    QString text;
    int line = 0;      // 1-based, where the turn starts
};

struct ScriptParse {
    QList<ScriptTurn> turns;
    QString error;     // a sentence naming the line, empty when the script is fine
};

ScriptParse parseScript(const QString& script);

// About how long `text` takes to say: ~2.7 words a second plus a short pause per sentence.
double estimateSpeechSeconds(const QString& text);

} // namespace echoforge
