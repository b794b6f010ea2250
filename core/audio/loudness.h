#pragma once
// EBU R128 loudness with libebur128: measure integrated loudness, normalise to a target with a
// true-peak ceiling so that loud targets never clip.

#include "core/audio/audio_buffer.h"

namespace echoforge {

inline constexpr double kDefaultLoudnessLufs = -16.0;
inline constexpr double kDefaultPeakCeilingDbtp = -1.0;   // true peak, dB

struct LoudnessMeasurement {
    double integratedLufs = 0;   // -infinity for silence or audio shorter than one 400 ms block
    double truePeakDbtp = 0;     // -infinity for silence
};

// Throws echoforge::Error for an empty buffer or an unsupported rate.
LoudnessMeasurement measureLoudness(const AudioBuffer& audio);

struct NormalizationResult {
    LoudnessMeasurement before;
    double gainDb = 0;           // applied
    bool peakLimited = false;    // the gain was lowered to keep the true peak under the ceiling
};

// Scales `audio` in place towards `targetLufs`, never past `peakCeilingDbtp`. Silent audio (no
// measurable loudness) is left as it is with gainDb 0.
NormalizationResult normalizeLoudness(AudioBuffer& audio, double targetLufs = kDefaultLoudnessLufs,
                                      double peakCeilingDbtp = kDefaultPeakCeilingDbtp);

} // namespace echoforge
