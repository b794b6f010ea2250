#pragma once
// Making a character from a clip of someone speaking: the clip is checked (3 to 30 s of speech),
// converted to 24 kHz mono, trimmed and loudness-normalised, and saved with its transcript as the
// character's CSM reference segment.

#include <QString>
#include <QStringList>

#include "core/audio/audio_buffer.h"
#include "core/voices/character.h"

namespace echoforge {

class VoiceLibrary;

struct CloneLimits {
    double minSpeechSeconds = 3.0;
    double maxSpeechSeconds = 30.0;
    double targetLufs = -16.0;
};

struct CloneRequest {
    QString name;
    QString audioPath;
    QString transcript;
    QString gender = "neutral";     // female | male | neutral
    QStringList styles;
    QString description;
    QString language = "en";
};

// The clip ready to be a reference: 24 kHz mono, silence trimmed, loudness-normalised. Throws
// echoforge::Error with a sentence for an unreadable file, no audio, too little or too much speech.
AudioBuffer prepareReferenceClip(const QString& audioPath, const CloneLimits& limits = {});

// Checks the request, prepares the clip and adds the character to `library`. The new character has
// no eSpeak voice: eSpeak NG cannot clone, so only CSM speaks it.
Character cloneCharacter(VoiceLibrary& library, const CloneRequest& request, const CloneLimits& limits = {});

} // namespace echoforge
