#pragma once
// Leading/trailing silence and short fades: what a clip needs before it is used as a reference
// or handed to the user.

#include "core/audio/audio_buffer.h"

namespace echoforge {

struct SilenceOptions {
    double thresholdDbfs = -45.0;   // a 10 ms window quieter than this (RMS) is silence
    double windowSeconds = 0.010;
    double keepSeconds = 0.050;     // silence kept on each side so that onsets are not cut
};

// The same audio without the silence before the first and after the last loud window. Audio that
// is silent throughout comes back empty.
AudioBuffer trimSilence(const AudioBuffer& audio, const SilenceOptions& options = {});

// Seconds of audio that are not silence (windows at or above the threshold), anywhere in the clip.
double speechSeconds(const AudioBuffer& audio, const SilenceOptions& options = {});

// Linear fade in over the first and fade out over the last seconds given (clamped to half the clip).
void applyFades(AudioBuffer& audio, double fadeInSeconds, double fadeOutSeconds);

} // namespace echoforge
