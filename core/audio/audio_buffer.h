#pragma once
// Audio in memory: interleaved float samples in [-1, 1] with their rate and channel count.

#include <cstddef>
#include <vector>

namespace echoforge {

// The rate of everything EchoForge speaks and writes (CSM's Mimi runs at 24 kHz).
inline constexpr int kOutputSampleRate = 24000;

struct AudioBuffer {
    std::vector<float> samples;   // interleaved: frame f, channel c at samples[f * channels + c]
    int sampleRate = 0;
    int channels = 1;

    std::size_t frames() const { return channels > 0 ? samples.size() / std::size_t(channels) : 0; }
    double durationSeconds() const { return sampleRate > 0 ? double(frames()) / sampleRate : 0.0; }
    bool empty() const { return samples.empty(); }
};

// The average of the channels, one sample per frame. A mono buffer is returned as it is.
AudioBuffer mixToMono(const AudioBuffer& audio);

// The largest absolute sample value (0 for an empty buffer).
float peakAmplitude(const AudioBuffer& audio);

// Root mean square over all samples (0 for an empty buffer).
double rmsAmplitude(const AudioBuffer& audio);

// 20 * log10(amplitude); -infinity for 0.
double amplitudeToDbfs(double amplitude);
double dbfsToAmplitude(double dbfs);

} // namespace echoforge
