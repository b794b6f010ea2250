#include "core/generation/watermark_detector.h"

#include <algorithm>
#include <cmath>

#include "core/audio/resampler.h"
#include "core/common/error.h"

namespace echoforge::watermark {
namespace {

constexpr double kMedianAbsToSigma = 0.6744897501960817;   // Phi^-1(3/4)

} // namespace

Detector::Detector(WatermarkKey key, const WatermarkScheme& scheme)
    : scheme_(scheme), band_(bandBins(scheme)), phasors_(patternPhasors(key, scheme)),
      fft_(std::size_t(scheme.period)), search_(key, scheme) {}

Detection Detector::detect(std::span<const float> pcm, int sampleRate) const {
    if (sampleRate <= 0)
        throw Error(QStringLiteral("Cannot look for the watermark in audio at %1 Hz: the sample rate must be "
                                   "positive.").arg(sampleRate));
    if (sampleRate == scheme_.sampleRate)
        return detectAtSchemeRate(pcm);
    const AudioBuffer resampled =
        resample(AudioBuffer{std::vector<float>(pcm.begin(), pcm.end()), sampleRate, 1}, scheme_.sampleRate);
    return detectAtSchemeRate(resampled.samples);
}

std::vector<std::complex<double>> Detector::whitenedBlockSum(std::span<const float> pcm, int& blocksUsed) const {
    const std::size_t period = std::size_t(scheme_.period);
    const std::size_t blocks = pcm.size() / period;

    // Gate: blocks far quieter than the loudest carry (almost) no mark, only noise.
    std::vector<double> blockEnergy(blocks, 0.0);
    for (std::size_t b = 0; b < blocks; ++b)
        for (std::size_t n = 0; n < period; ++n)
            blockEnergy[b] += double(pcm[b * period + n]) * pcm[b * period + n];
    const double loudest = blocks ? *std::max_element(blockEnergy.begin(), blockEnergy.end()) : 0.0;
    const double gate = loudest * std::pow(10.0, scheme_.blockGateDb / 10.0);

    std::vector<std::complex<double>> sum(std::size_t(band_.count()));
    std::vector<std::complex<double>> block(period);
    blocksUsed = 0;
    for (std::size_t b = 0; b < blocks; ++b) {
        if (blockEnergy[b] <= 0.0 || blockEnergy[b] < gate)
            continue;
        for (std::size_t n = 0; n < period; ++n)
            block[n] = pcm[b * period + n];
        fft_.forward(block);
        // Phase transform: every bin of every block counts the same, whatever the spectrum of the
        // speech around the mark, and a gain change does nothing.
        for (int k = band_.first; k <= band_.last; ++k) {
            const std::complex<double> y = block[std::size_t(k)];
            const double magnitude = std::abs(y);
            if (magnitude > 0.0)
                sum[std::size_t(k - band_.first)] += y / magnitude;
        }
        ++blocksUsed;
    }
    return sum;
}

Detection Detector::detectAtSchemeRate(std::span<const float> pcm24k) const {
    // Non-finite samples (a broken file) count as silence rather than spoiling every block.
    if (!std::all_of(pcm24k.begin(), pcm24k.end(), [](float s) { return std::isfinite(s); })) {
        std::vector<float> finite(pcm24k.begin(), pcm24k.end());
        std::replace_if(finite.begin(), finite.end(), [](float s) { return !std::isfinite(s); }, 0.0f);
        return detectAtSchemeRate(finite);
    }
    Detection result = synchronousDetection(pcm24k);
    result.searchThreshold = scheme_.searchThreshold;
    const ScaleSearchResult searched = search_.search(pcm24k);
    result.searchScore = searched.score;
    result.scale = searched.scale;
    result.searchDetected = searched.framesUsed > 0 && searched.score >= scheme_.searchThreshold;
    result.detected = result.synchronousDetected || result.searchDetected;
    return result;
}

Detection Detector::synchronousDetection(std::span<const float> pcm24k) const {
    Detection result;
    result.threshold = scheme_.threshold;
    result.secondsAnalysed = double(pcm24k.size()) / scheme_.sampleRate;
    const auto sum = whitenedBlockSum(pcm24k, result.blocksUsed);
    if (result.blocksUsed == 0)
        return result;

    // Cross-spectrum with the pattern; its inverse DFT is the correlation at every circular lag:
    // c[t] = Re sum_k S[k] conj(P[k]) e^{2 pi i k t / L}.
    const std::size_t period = std::size_t(scheme_.period);
    std::vector<std::complex<double>> cross(period);
    for (int k = band_.first; k <= band_.last; ++k) {
        const std::size_t i = std::size_t(k - band_.first);
        cross[std::size_t(k)] = sum[i] * std::conj(phasors_[i]);
    }
    fft_.inverseUnscaled(cross);

    // The lags carry no DC, so the correlation has zero mean. Its spread is estimated from the
    // median of |c| (for a normal variable, median |c| = 0.6745 sigma), which the peak and its
    // sidelobes barely move: the score keeps growing with the evidence instead of saturating.
    double peak = 0;
    std::size_t peakLag = 0;
    std::vector<double> magnitudes(period);
    for (std::size_t t = 0; t < period; ++t) {
        magnitudes[t] = std::abs(cross[t].real());
        if (magnitudes[t] > peak) {
            peak = magnitudes[t];
            peakLag = t;
        }
    }
    auto middle = magnitudes.begin() + std::ptrdiff_t(period / 2);
    std::nth_element(magnitudes.begin(), middle, magnitudes.end());
    const double deviation = *middle / kMedianAbsToSigma;
    if (deviation <= 0.0)
        return result;
    result.score = peak / deviation;
    result.synchronousDetected = result.score >= scheme_.threshold;
    // The clip's block starts at pattern phase d give a peak at lag (L - d) mod L.
    result.patternPhase = int((period - peakLag) % period);
    return result;
}

} // namespace echoforge::watermark
