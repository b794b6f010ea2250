#pragma once
// A character: a profile people browse, plus the voice each engine speaks it with.
// Stored as one folder per character with a versioned character.json (docs/characters.md).

#include <optional>

#include <QString>
#include <QStringList>
#include <QList>

namespace echoforge {

// One CSM context segment: a clip, what is said in it, and the speaker id it is tagged with.
struct ReferenceSegment {
    QString audioPath;    // absolute once loaded
    QString transcript;
    int speakerId = 0;
};

struct EspeakVoice {
    QString voice = "en-us";   // espeak-ng voice name
    QString variant;           // e.g. "f3", empty for the default
    int pitch = 50;            // 0..100
    int rate = 175;            // words per minute, 80..450
};

struct Character {
    QString id;                // stable, [a-z0-9-]+
    QString name;
    QString gender;            // female | male | neutral
    QString ageRange;          // "20s", "30s", ..., "child", "senior"
    QString language = "en";   // BCP 47-ish: en, en-GB, ...
    QString accent;            // free text: British, American, ...
    QStringList styles;        // warm, narrator, calm, energetic, ...
    QString description;
    QString sampleText;        // the line its sample speaks
    QString avatarPath;        // absolute path to an SVG or PNG, may be empty
    QString folder;            // the character's folder
    bool builtIn = false;

    QList<ReferenceSegment> segments;  // CSM context, may be empty
    int csmSpeakerId = 0;              // the speaker id CSM generates as
    EspeakVoice espeak;
};

} // namespace echoforge
