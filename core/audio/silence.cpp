#include "core/audio/silence.h"

#include <algorithm>
#include <cmath>

namespace echoforge {
namespace {

// Whether each window of the (mono-mixed) signal is at or above the threshold.
std::vector<bool> loudWindows(const AudioBuffer& audio, const SilenceOptions& options, std::size_t& windowFrames) {
    const AudioBuffer mono = mixToMono(audio);
    windowFrames = std::max<std::size_t>(1, std::size_t(options.windowSeconds * audio.sampleRate));
    const double threshold = dbfsToAmplitude(options.thresholdDbfs);
    const std::size_t windows = (mono.samples.size() + windowFrames - 1) / windowFrames;
    std::vector<bool> loud(windows);
    for (std::size_t w = 0; w < windows; ++w) {
        const std::size_t begin = w * windowFrames;
        const std::size_t end = std::min(mono.samples.size(), begin + windowFrames);
        double sum = 0;
        for (std::size_t i = begin; i < end; ++i)
            sum += double(mono.samples[i]) * mono.samples[i];
        loud[w] = std::sqrt(sum / double(end - begin)) >= threshold;
    }
    return loud;
}

} // namespace

AudioBuffer trimSilence(const AudioBuffer& audio, const SilenceOptions& options) {
    AudioBuffer out{{}, audio.sampleRate, audio.channels};
    if (audio.empty() || audio.sampleRate <= 0)
        return out;
    std::size_t windowFrames = 0;
    const std::vector<bool> loud = loudWindows(audio, options, windowFrames);
    const auto first = std::find(loud.begin(), loud.end(), true);
    if (first == loud.end())
        return out;
    const auto last = std::find(loud.rbegin(), loud.rend(), true);
    const std::size_t keep = std::size_t(options.keepSeconds * audio.sampleRate);
    const std::size_t firstLoud = std::size_t(first - loud.begin()) * windowFrames;
    const std::size_t endLoud = std::min(audio.frames(), std::size_t(loud.rend() - last) * windowFrames);
    const std::size_t beginFrame = firstLoud > keep ? firstLoud - keep : 0;
    const std::size_t endFrame = std::min(audio.frames(), endLoud + keep);
    const auto ch = std::size_t(audio.channels);
    out.samples.assign(audio.samples.begin() + std::ptrdiff_t(beginFrame * ch),
                       audio.samples.begin() + std::ptrdiff_t(endFrame * ch));
    return out;
}

double speechSeconds(const AudioBuffer& audio, const SilenceOptions& options) {
    if (audio.empty() || audio.sampleRate <= 0)
        return 0;
    std::size_t windowFrames = 0;
    const std::vector<bool> loud = loudWindows(audio, options, windowFrames);
    const auto loudCount = std::size_t(std::count(loud.begin(), loud.end(), true));
    return std::min(audio.durationSeconds(), double(loudCount * windowFrames) / audio.sampleRate);
}

void applyFades(AudioBuffer& audio, double fadeInSeconds, double fadeOutSeconds) {
    const std::size_t frames = audio.frames();
    const auto ch = std::size_t(audio.channels);
    const auto clampFrames = [&](double seconds) {
        return std::min(frames / 2, std::size_t(std::max(0.0, seconds) * audio.sampleRate));
    };
    const std::size_t fadeIn = clampFrames(fadeInSeconds);
    const std::size_t fadeOut = clampFrames(fadeOutSeconds);
    for (std::size_t f = 0; f < fadeIn; ++f) {
        const float g = float(f) / float(fadeIn);
        for (std::size_t c = 0; c < ch; ++c)
            audio.samples[f * ch + c] *= g;
    }
    for (std::size_t i = 0; i < fadeOut; ++i) {
        const std::size_t f = frames - 1 - i;
        const float g = float(i) / float(fadeOut);
        for (std::size_t c = 0; c < ch; ++c)
            audio.samples[f * ch + c] *= g;
    }
}

} // namespace echoforge
