#pragma once
// Tells a failed take from a good one, so the engine can try again with a new seed: silence,
// a runaway take far longer than its text needs, or one that stopped early.

#include <span>

#include <QString>

namespace echoforge {

struct TakeLimits {
    double silenceDbfs = -50.0;        // a take whose speech windows are all below this is silent
    double minVoicedFraction = 0.15;   // share of 50 ms windows that must carry sound
    double runawayFactor = 2.5;        // longer than factor x expected + slack is a runaway
    double runawaySlackSeconds = 3.0;
    double earlyFactor = 0.3;          // shorter than factor x expected is an early stop
    int earlyMinWords = 4;             // only texts this long can "stop early"
};

enum class TakeVerdict { Good, Silent, Runaway, EndedEarly };

struct TakeAssessment {
    TakeVerdict verdict = TakeVerdict::Good;
    double seconds = 0;
    double expectedSeconds = 0;
    QString reason;                    // a sentence, empty for a good take

    bool good() const { return verdict == TakeVerdict::Good; }
};

// How long natural speech of `text` takes: ~2.6 words per second plus pauses at punctuation.
double expectedSpeechSeconds(const QString& text);

// `hitLengthLimit`: generation ran to its frame limit instead of ending by itself.
TakeAssessment assessTake(std::span<const float> audio, int sampleRate, const QString& text,
                          bool hitLengthLimit, const TakeLimits& limits = {});

} // namespace echoforge
