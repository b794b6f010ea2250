#include "core/audio/loudness.h"

#include <cmath>
#include <limits>
#include <memory>

#include <ebur128.h>

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
        gainDb = headroomDb;
        result.peakLimited = true;
    }
    const float gain = float(dbfsToAmplitude(gainDb));
    for (float& s : audio.samples)
        s *= gain;
    result.gainDb = gainDb;
    return result;
}

} // namespace echoforge
