#pragma once
// Auditions: a character without a reference clip gets a CSM voice by choice. N takes of its
// sample line, each with its own seed, are queued as ordinary jobs (streamed, take-checked); the
// user listens and keeps one as the character's anchor (core/voices/voice_anchor.h).

#include <cstdint>

#include <QList>

#include "core/engine/speech_engine.h"
#include "core/tasks/job.h"

namespace echoforge {

inline constexpr int kDefaultAuditionCount = 4;
inline constexpr int kMostAuditionTakes = 12;

// The seeds of an audition's takes, all different. Round 0 starts with the character's fixed seed,
// the one its automatic first-use anchor is made with; each later round (a re-audition) gives
// new ones. Spaced by a constant unlike the take check's retake step, so no take repeats another's
// retake.
QList<std::uint64_t> auditionSeeds(const QString& characterId, int count, int round = 0);

// One audition take as a request: the sample line, the given seed, no anchor in the context.
// Throws echoforge::Error when the character speaks with its own reference clip (it needs none).
SpeechRequest auditionRequest(const Character& character, std::uint64_t seed, GenerationParams params = {});

// How an audition take runs: CSM (eSpeak NG would say it the same way every time), ahead of
// normal work, outside the history.
JobOptions auditionJobOptions(const QString& outputPath = {});

} // namespace echoforge
