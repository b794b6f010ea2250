#include "core/generation/watermark_pattern.h"

#include <cmath>
#include <numbers>

#include "core/common/error.h"
#include "core/generation/watermark_fft.h"

namespace echoforge::watermark {

BandBins bandBins(const WatermarkScheme& scheme) {
    const int period = scheme.period;
    if (period < 64 || (period & (period - 1)) != 0)
        throw Error(QStringLiteral("The watermark period %1 must be a power of two of at least 64.").arg(period));
    if (scheme.sampleRate <= 0)
        throw Error(QStringLiteral("The watermark sample rate %1 must be positive.").arg(scheme.sampleRate));
    const double binHz = double(scheme.sampleRate) / period;
    BandBins band{int(std::ceil(scheme.bandLowHz / binHz)), int(std::floor(scheme.bandHighHz / binHz))};
    if (band.first < 1 || band.last >= period / 2 || band.count() < 16)
        throw Error(QStringLiteral("The watermark band %1-%2 Hz must lie strictly between 0 Hz and half the "
                                   "sample rate and span at least 16 bins.")
                        .arg(scheme.bandLowHz).arg(scheme.bandHighHz));
    return band;
}

std::uint64_t SplitMix64::next() {
    state_ += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double SplitMix64::nextUnit() {
    return double(next() >> 11) * 0x1.0p-53;
}

std::vector<std::complex<double>> patternPhasors(WatermarkKey key, const WatermarkScheme& scheme) {
    const BandBins band = bandBins(scheme);
    SplitMix64 random(key);
    std::vector<std::complex<double>> phasors(std::size_t(band.count()));
    for (auto& p : phasors)
        p = std::polar(1.0, 2.0 * std::numbers::pi * random.nextUnit());
    return phasors;
}

std::vector<float> synthesisePattern(WatermarkKey key, const WatermarkScheme& scheme) {
    const BandBins band = bandBins(scheme);
    const auto phasors = patternPhasors(key, scheme);
    const std::size_t period = std::size_t(scheme.period);
    // Hermitian spectrum, so that the inverse DFT is real: sum over +k and -k gives 2 cos(...).
    std::vector<std::complex<double>> spectrum(period);
    for (int k = band.first; k <= band.last; ++k) {
        spectrum[std::size_t(k)] = phasors[std::size_t(k - band.first)];
        spectrum[period - std::size_t(k)] = std::conj(phasors[std::size_t(k - band.first)]);
    }
    Fft(period).inverseUnscaled(spectrum);
    const double unitRms = 1.0 / std::sqrt(2.0 * band.count());   // 2 cos -> sqrt(2/K) cos
    std::vector<float> pattern(period);
    for (std::size_t n = 0; n < period; ++n)
        pattern[n] = float(spectrum[n].real() * unitRms);
    return pattern;
}

} // namespace echoforge::watermark
