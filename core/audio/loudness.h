#pragma once
// EBU R128 loudness with libebur128: measure integrated loudness, normalise to a target with a
// true-peak ceiling so that loud targets never clip; peaks over the ceiling are limited (up to
// kMaxLimitingDb) rather than the whole take left short of its target.

#include "core/audio/audio_buffer.h"

namespace echoforge {

inline constexpr double kDefaultLoudnessLufs = -16.0;
inline constexpr double kDefaultPeakCeilingDbtp = -1.0;   // true peak, dB
// The most gain reduction the limiter may apply at a peak; past it the take stays quieter than
// the target, since deeper limiting is heard as distortion.
inline constexpr double kMaxLimitingDb = 6.0;

struct LoudnessMeasurement {
    double integratedLufs = 0;   // -infinity for silence or audio shorter than one 400 ms block
    double truePeakDbtp = 0;     // -infinity for silence
};

// Throws echoforge::Error for an empty buffer or an unsupported rate.
LoudnessMeasurement measureLoudness(const AudioBuffer& audio);

struct NormalizationResult {
    LoudnessMeasurement before;
    double gainDb = 0;           // applied to the whole take
    bool peakLimited = false;    // the target gain would have put the true peak over the ceiling
    double limitedDb = 0;        // the deepest gain reduction the limiter applied at a peak
};

// Scales `audio` in place towards `targetLufs` with its true peak kept under `peakCeilingDbtp`:
// peaks that the gain would lift over the ceiling are limited, by at most kMaxLimitingDb. Silent
// audio (no measurable loudness) is left as it is with gainDb 0.
NormalizationResult normalizeLoudness(AudioBuffer& audio, double targetLufs = kDefaultLoudnessLufs,
                                      double peakCeilingDbtp = kDefaultPeakCeilingDbtp);

} // namespace echoforge
