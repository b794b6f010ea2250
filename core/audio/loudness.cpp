#include "core/audio/loudness.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include <ebur128.h>

#include "core/audio/limiter.h"
#include "core/common/error.h"

namespace echoforge {
namespace {

struct Ebur128Deleter {
    void operator()(ebur128_state* s) const { ebur128_destroy(&s); }
};

} // namespace

LoudnessMeasurement measureLoudness(const AudioBuffer& audio) {
    if (audio.empty())
        throw Error("Cannot measure the loudness of empty audio.");
    std::unique_ptr<ebur128_state, Ebur128Deleter> state(
        ebur128_init(unsigned(audio.channels), static_cast<unsigned long>(audio.sampleRate), EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
    if (!state)
        throw Error(QStringLiteral("Cannot measure loudness at %1 Hz with %2 channel(s).")
                        .arg(audio.sampleRate).arg(audio.channels));
    if (ebur128_add_frames_float(state.get(), audio.samples.data(), audio.frames()) != EBUR128_SUCCESS)
        throw Error("The loudness meter (libebur128) rejected the audio.");

    LoudnessMeasurement m;
    if (ebur128_loudness_global(state.get(), &m.integratedLufs) != EBUR128_SUCCESS)
        m.integratedLufs = -std::numeric_limits<double>::infinity();
    double peak = 0;
    for (int c = 0; c < audio.channels; ++c) {
        double channelPeak = 0;
        if (ebur128_true_peak(state.get(), unsigned(c), &channelPeak) == EBUR128_SUCCESS)
            peak = std::max(peak, channelPeak);
    }
    m.truePeakDbtp = amplitudeToDbfs(peak);
    return m;
}

NormalizationResult normalizeLoudness(AudioBuffer& audio, double targetLufs, double peakCeilingDbtp) {
    NormalizationResult result;
    result.before = measureLoudness(audio);
    // libebur128 reports -HUGE_VAL for silence and for clips under one gating block.
    if (!std::isfinite(result.before.integratedLufs) || !std::isfinite(result.before.truePeakDbtp))
        return result;
    double gainDb = targetLufs - result.before.integratedLufs;
    const double headroomDb = peakCeilingDbtp - result.before.truePeakDbtp;
    if (gainDb > headroomDb) {
        result.peakLimited = true;
        gainDb = headroomDb + std::min(gainDb - headroomDb, kMaxLimitingDb);
    }
    auto scale = [&audio](double db) {
        const float gain = float(dbfsToAmplitude(db));
        for (float& s : audio.samples)
            s *= gain;
    };
    scale(gainDb);
    result.gainDb = gainDb;
    if (result.peakLimited) {
        // The limiter works on samples; peaks between samples can stand up to about half a dB
        // higher, so it aims under the ceiling, and a uniform trim then puts the true peak on the
        // ceiling: down where an inter-sample peak is over it, up (never past the target) where
        // the margin was not needed. Limiting takes some loudness with the peaks; what is still
        // missing is added and limited again, a few times at most.
        constexpr double kInterSampleMarginDb = 0.5, kCloseEnoughDb = 0.1;
        constexpr int kPasses = 3;
        for (int pass = 0; pass < kPasses; ++pass) {
            result.limitedDb += limitPeaks(audio, {.ceilingDbfs = peakCeilingDbtp - kInterSampleMarginDb});
            const LoudnessMeasurement limited = measureLoudness(audio);
            double trimDb = peakCeilingDbtp - limited.truePeakDbtp;
            if (trimDb > 0)
                trimDb = std::max(0.0, std::min(trimDb, targetLufs - limited.integratedLufs));
            scale(trimDb);
            result.gainDb += trimDb;
            const double missingDb = targetLufs - (limited.integratedLufs + trimDb);
            if (missingDb < kCloseEnoughDb || result.limitedDb + missingDb > kMaxLimitingDb || pass + 1 == kPasses)
                break;
            scale(missingDb);
            result.gainDb += missingDb;
        }
    }
    return result;
}

} // namespace echoforge
