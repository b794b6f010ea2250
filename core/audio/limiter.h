#pragma once
// A look-ahead peak limiter, so that loudness normalisation can reach its target on speech whose
// peaks stand far above its average (eSpeak NG's plosives, a shout) instead of stopping at the
// peak ceiling several dB short. The gain falls smoothly over the look-ahead before a peak, never
// in a step, and recovers over the release.

#include "core/audio/audio_buffer.h"

namespace echoforge {

struct LimiterSettings {
    double ceilingDbfs = -1.0;        // no sample louder than this afterwards
    double lookaheadSeconds = 0.005;  // the gain starts falling this long before a peak
    double releaseSeconds = 0.080;    // time constant of the recovery after it
};

// Limits `audio` in place (every channel by the same gain); returns the deepest gain reduction
// in dB (0 when no sample was over the ceiling).
double limitPeaks(AudioBuffer& audio, const LimiterSettings& settings = {});

} // namespace echoforge
