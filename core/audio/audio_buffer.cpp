#include "core/audio/audio_buffer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace echoforge {

AudioBuffer mixToMono(const AudioBuffer& audio) {
    if (audio.channels <= 1)
        return audio;
    AudioBuffer mono;
    mono.sampleRate = audio.sampleRate;
    mono.channels = 1;
    const std::size_t frames = audio.frames();
    mono.samples.resize(frames);
    // Summed in double: two loud float channels (a damaged float file) can add up past FLT_MAX,
    // and their mean never does.
    const double scale = 1.0 / double(audio.channels);
    for (std::size_t f = 0; f < frames; ++f) {
        double sum = 0;
        for (int c = 0; c < audio.channels; ++c)
            sum += audio.samples[f * std::size_t(audio.channels) + std::size_t(c)];
        mono.samples[f] = float(sum * scale);
    }
    return mono;
}

float peakAmplitude(const AudioBuffer& audio) {
    float peak = 0;
    for (float s : audio.samples)
        peak = std::max(peak, std::abs(s));
    return peak;
}

double rmsAmplitude(const AudioBuffer& audio) {
    if (audio.samples.empty())
        return 0;
    double sum = 0;
    for (float s : audio.samples)
        sum += double(s) * s;
    return std::sqrt(sum / double(audio.samples.size()));
}

double amplitudeToDbfs(double amplitude) {
    return amplitude > 0 ? 20.0 * std::log10(amplitude) : -std::numeric_limits<double>::infinity();
}

double dbfsToAmplitude(double dbfs) {
    return std::pow(10.0, dbfs / 20.0);
}

} // namespace echoforge
