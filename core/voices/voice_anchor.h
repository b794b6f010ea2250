#pragma once
// A character's kept CSM voice. CSM speaks with a new, random voice on every request unless a
// clip of the voice is in its context (SesameAILabs/csm README: "This will use a random speaker
// identity, as no prompt or context is provided"). A character without its own reference clip
// is given one: a take the user kept from an audition, or, until then, its sample line made with
// its own fixed seed at its first CSM request. That take is its anchor, used as context for every
// later request.
//
// Anchors live in the user's data folder (AppPaths::anchorsDir), one folder per character id,
// so the built-in assets stay untouched:
//   <anchorsDir>/<id>/anchor.json   {"schema": 1, "audio": "take-<hash>.wav", "transcript": ...,
//                                    "speaker_id": 0, "seed": "123", "automatic": false, "created": ...}
//   <anchorsDir>/<id>/take-<hash>.wav   24 kHz mono; a new take gets a new name, so caches keyed
//                                       by the path never serve audio made with the old one.

#include <cstdint>
#include <optional>

#include <QDateTime>
#include <QString>

#include "core/audio/audio_buffer.h"
#include "core/voices/character.h"

namespace echoforge {

struct VoiceAnchor {
    QString characterId;
    ReferenceSegment segment;            // the kept take (absolute path), what it says, its speaker id
    std::optional<std::uint64_t> seed;   // the seed it was made with, when known
    bool automatic = false;              // made at the first CSM request, not chosen by the user
    QDateTime created;
};

// The seed a character's automatic anchor is made with: the same for an id on every machine
// (FNV-1a, 64 bit, of "echoforge-voice:" + id), so a character sounds the same from its first use.
std::uint64_t fixedVoiceSeed(const QString& characterId);

// The line an anchor is made from: the character's sample text, or a plain line when it has none.
QString anchorSampleText(const Character& character);

class AnchorStore {
public:
    explicit AnchorStore(QString dir);

    // The character's anchor, or nothing when none is kept. Throws echoforge::Error naming the
    // file when anchor.json is broken or its take is missing (reset it to start again).
    std::optional<VoiceAnchor> find(const QString& characterId) const;
    // Whether one is kept; never throws (a broken one counts as kept: the studio shows it).
    bool has(const QString& characterId) const;

    // Keeps `take` (any rate, mixed to mono, resampled to 24 kHz) as the character's anchor,
    // replacing an earlier one only once the new one is written. Throws echoforge::Error with the
    // reason when the take is empty, silent, shorter than 1 s or longer than 30 s, holds samples
    // that are not numbers, or the transcript is empty.
    VoiceAnchor keep(const QString& characterId, const AudioBuffer& take, const QString& transcript, int speakerId,
                     std::optional<std::uint64_t> seed, bool automatic);
    // The same from an audio file (WAV, FLAC, OGG, MP3).
    VoiceAnchor keepFile(const QString& characterId, const QString& audioPath, const QString& transcript, int speakerId,
                         std::optional<std::uint64_t> seed);
    // Forgets the character's anchor (its folder). Returns whether there was one.
    bool reset(const QString& characterId);

    QString dir() const { return dir_; }
    QString folder(const QString& characterId) const;

private:
    QString dir_;
};

} // namespace echoforge
