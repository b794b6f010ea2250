#include "core/generation/watermark_scale_search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/common/error.h"

namespace echoforge::watermark {
namespace {

// a * b written out: std::complex's operator* goes through a library call that checks for NaN and
// infinity (C99 Annex G), which cost more than the FFTs here.
inline std::complex<double> times(std::complex<double> a, std::complex<double> b) {
    return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

} // namespace

ScaleSearch::ScaleSearch(WatermarkKey key, const WatermarkScheme& scheme)
    : scheme_(scheme), band_(bandBins(scheme)), fft_(std::size_t(scheme.period)) {
    if (scheme_.searchScaleCount < 2 || !(scheme_.searchScaleMin > 0.0) ||
        !(scheme_.searchScaleMax > scheme_.searchScaleMin) || !(scheme_.searchNullDeviation > 0.0))
        throw Error(QStringLiteral("The watermark's search over time scales needs at least two factors, from a "
                                   "positive one up to a larger one, and a positive null spread."));
    const auto phasors = patternPhasors(key, scheme);
    halfConjPhasors_.reserve(phasors.size());
    for (const auto& p : phasors)
        halfConjPhasors_.push_back(0.5 * std::conj(p));
    lowBin_ = int(std::lround(band_.first * scheme_.searchScaleMin));
    highBin_ = int(std::lround(band_.last * scheme_.searchScaleMax));
    if (lowBin_ < 1 || highBin_ >= scheme_.period / 2)
        throw Error(QStringLiteral("The watermark's search over time scales would move the band outside the "
                                   "spectrum: lower the largest factor %1.").arg(scheme_.searchScaleMax));
    window_.resize(std::size_t(scheme_.period));
    for (std::size_t n = 0; n < window_.size(); ++n)
        window_[n] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * double(n) / double(scheme_.period));
}

std::vector<double> ScaleSearch::scales() const {
    const int count = scheme_.searchScaleCount;
    std::vector<double> result(static_cast<std::size_t>(count));
    for (int j = 0; j < count; ++j)
        result[std::size_t(j)] = scheme_.searchScaleMin +
                                 double(j) * (scheme_.searchScaleMax - scheme_.searchScaleMin) / double(count - 1);
    return result;
}

std::vector<std::vector<std::complex<double>>> ScaleSearch::whitenedFrames(std::span<const float> pcm) const {
    const std::size_t period = std::size_t(scheme_.period), hop = period / 2;
    const std::size_t frames = pcm.size() >= period ? (pcm.size() - period) / hop + 1 : 0;
    std::vector<double> energy(frames, 0.0);
    for (std::size_t f = 0; f < frames; ++f)
        for (std::size_t n = 0; n < period; ++n)
            energy[f] += double(pcm[f * hop + n]) * pcm[f * hop + n];
    const double loudest = frames ? *std::max_element(energy.begin(), energy.end()) : 0.0;
    const double gate = loudest * std::pow(10.0, scheme_.blockGateDb / 10.0);

    std::vector<std::vector<std::complex<double>>> whitened;
    std::vector<std::complex<double>> frame(period);
    for (std::size_t f = 0; f < frames; ++f) {
        if (energy[f] <= 0.0 || energy[f] < gate)
            continue;
        for (std::size_t n = 0; n < period; ++n)
            frame[n] = window_[n] * pcm[f * hop + n];
        fft_.forward(frame);
        std::vector<std::complex<double>> bins(std::size_t(highBin_ - lowBin_ + 1));
        for (int k = lowBin_; k <= highBin_; ++k) {
            const double magnitude = std::abs(frame[std::size_t(k)]);
            if (magnitude > 0.0)
                bins[std::size_t(k - lowBin_)] = frame[std::size_t(k)] / magnitude;
        }
        whitened.push_back(std::move(bins));
    }
    return whitened;
}

ScaleSearchResult ScaleSearch::search(std::span<const float> pcm24k) const {
    ScaleSearchResult result;
    const auto frames = whitenedFrames(pcm24k);
    result.framesUsed = int(frames.size());
    if (frames.empty())
        return result;

    const std::size_t period = std::size_t(scheme_.period);
    const double noiseDeviation = std::sqrt(band_.count() / 2.0);   // of Re c[t] without a mark (Parseval)
    const std::vector<double> factors = scales();
    std::vector<double> peakSums(factors.size(), 0.0);
    // Bins of the clip that pattern bin k appears at under each factor.
    std::vector<std::vector<int>> source(factors.size(), std::vector<int>(std::size_t(band_.count())));
    for (std::size_t j = 0; j < factors.size(); ++j)
        for (int k = band_.first; k <= band_.last; ++k)
            source[j][std::size_t(k - band_.first)] = int(std::lround(double(k) * factors[j])) - lowBin_;

    // Two factors per inverse FFT: the correlations are real, so one goes in the real part and the
    // other in the imaginary part (each spectrum Hermitian: Z/2 at k, conj(Z)/2 at L - k).
    std::vector<std::complex<double>> spectrum(period);
    for (const auto& bins : frames) {
        for (std::size_t j = 0; j < factors.size(); j += 2) {
            const bool pair = j + 1 < factors.size();
            std::fill(spectrum.begin(), spectrum.end(), std::complex<double>());
            for (int k = band_.first; k <= band_.last; ++k) {
                const std::size_t i = std::size_t(k - band_.first);
                const std::complex<double> a = times(bins[std::size_t(source[j][i])], halfConjPhasors_[i]);
                const std::complex<double> b =
                    pair ? times(bins[std::size_t(source[j + 1][i])], halfConjPhasors_[i]) : std::complex<double>();
                // a + i b at k and conj(a) + i conj(b) at L - k.
                spectrum[std::size_t(k)] = {a.real() - b.imag(), a.imag() + b.real()};
                spectrum[period - std::size_t(k)] = {a.real() + b.imag(), b.real() - a.imag()};
            }
            fft_.inverseUnscaled(spectrum);
            double peakA = 0, peakB = 0;
            for (const auto& c : spectrum) {
                peakA = std::max(peakA, std::abs(c.real()));
                peakB = std::max(peakB, std::abs(c.imag()));
            }
            peakSums[j] += peakA / noiseDeviation;
            if (pair)
                peakSums[j + 1] += peakB / noiseDeviation;
        }
    }

    const double n = double(frames.size());
    result.score = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < factors.size(); ++j) {
        const double z = (peakSums[j] - n * scheme_.searchNullMean) / (scheme_.searchNullDeviation * std::sqrt(n));
        if (z > result.score) {
            result.score = z;
            result.scale = factors[j];
        }
    }
    return result;
}

} // namespace echoforge::watermark
