#include "core/audio/limiter.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace echoforge {

double limitPeaks(AudioBuffer& audio, const LimiterSettings& settings) {
    const std::size_t channels = std::size_t(std::max(1, audio.channels));
    const std::size_t frames = audio.samples.size() / channels;
    if (frames == 0)
        return 0;
    const double ceiling = dbfsToAmplitude(settings.ceilingDbfs);

    // The gain each frame may have at most: ceiling / peak, or 1.
    std::vector<double> allowed(frames, 1.0);
    for (std::size_t f = 0; f < frames; ++f) {
        float peak = 0;
        for (std::size_t c = 0; c < channels; ++c)
            peak = std::max(peak, std::abs(audio.samples[f * channels + c]));
        if (peak > ceiling)
            allowed[f] = ceiling / peak;
    }

    // ahead[f] = min(allowed[f .. f+L-1]), a sliding minimum over the look-ahead (monotonic deque).
    const std::size_t lookahead = std::max<std::size_t>(1, std::size_t(settings.lookaheadSeconds * audio.sampleRate));
    std::vector<double> ahead(frames);
    std::deque<std::size_t> window;   // frames of increasing allowed gain
    for (std::size_t i = frames; i-- > 0;) {
        while (!window.empty() && allowed[window.back()] >= allowed[i])
            window.pop_back();
        window.push_back(i);
        if (window.front() >= i + lookahead)
            window.pop_front();
        ahead[i] = allowed[window.front()];
    }

    // The mean of the last L look-ahead minima: each of them already covers frame f, so the mean
    // stays under allowed[f], and it moves as a ramp of L frames instead of a step. Before the
    // start the first minimum stands in, which also covers the first L frames.
    const double releaseStep = 1.0 - std::exp(-1.0 / (std::max(settings.releaseSeconds, 1e-4) * audio.sampleRate));
    double sum = ahead[0] * double(lookahead), gain = ahead[0], deepest = 1.0;
    for (std::size_t f = 0; f < frames; ++f) {
        sum += ahead[f] - (f >= lookahead ? ahead[f - lookahead] : ahead[0]);
        const double ramped = std::min(1.0, sum / double(lookahead));
        gain = std::min(ramped, gain + (1.0 - gain) * releaseStep);   // recover slowly, fall at once
        deepest = std::min(deepest, gain);
        for (std::size_t c = 0; c < channels; ++c)
            audio.samples[f * channels + c] = float(audio.samples[f * channels + c] * gain);
    }
    return -amplitudeToDbfs(deepest);
}

} // namespace echoforge
