#pragma once
// Known test signals for the audio tests.

#include <cmath>
#include <numbers>

#include "core/audio/audio_buffer.h"

namespace echoforge::test {

// A sine of `frequency` Hz and peak `amplitude`, the same on every channel.
inline AudioBuffer sine(double frequency, double amplitude, double seconds, int rate, int channels = 1) {
    AudioBuffer b;
    b.sampleRate = rate;
    b.channels = channels;
    const auto frames = std::size_t(seconds * rate);
    b.samples.resize(frames * std::size_t(channels));
    for (std::size_t f = 0; f < frames; ++f) {
        const float v = float(amplitude * std::sin(2 * std::numbers::pi * frequency * double(f) / rate));
        for (int c = 0; c < channels; ++c)
            b.samples[f * std::size_t(channels) + std::size_t(c)] = v;
    }
    return b;
}

inline AudioBuffer silence(double seconds, int rate) {
    return AudioBuffer{std::vector<float>(std::size_t(seconds * rate), 0.0f), rate, 1};
}

inline AudioBuffer concat(const AudioBuffer& a, const AudioBuffer& b) {
    AudioBuffer out = a;
    out.samples.insert(out.samples.end(), b.samples.begin(), b.samples.end());
    return out;
}

// The amplitude of `frequency` in a mono signal (Goertzel), as a fraction of a full sine's peak.
inline double toneAmplitude(const AudioBuffer& mono, double frequency) {
    const double w = 2 * std::numbers::pi * frequency / mono.sampleRate;
    double re = 0, im = 0;
    for (std::size_t n = 0; n < mono.samples.size(); ++n) {
        re += mono.samples[n] * std::cos(w * double(n));
        im -= mono.samples[n] * std::sin(w * double(n));
    }
    return 2 * std::sqrt(re * re + im * im) / double(mono.samples.size());
}

} // namespace echoforge::test
