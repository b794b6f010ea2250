#pragma once
// The keyed pattern of the watermark (docs/watermark.md, "Pattern"): unit phasors with phases
// drawn by SplitMix64 from the key on the DFT bins of the band, and its time-domain period.

#include <complex>
#include <vector>

#include "core/generation/watermark.h"

namespace echoforge::watermark {

// The DFT bins [first, last] of one period that the pattern occupies.
struct BandBins {
    int first = 0;
    int last = 0;
    int count() const { return last - first + 1; }
};

// Checks the scheme (throws echoforge::Error naming the field) and returns its band.
BandBins bandBins(const WatermarkScheme& scheme);

// SplitMix64 (Steele, Lea, Flood 2014): the generator the phases are drawn with.
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next();
    // Uniform in [0, 1) from the top 53 bits of next().
    double nextUnit();

private:
    std::uint64_t state_;
};

// e^{i phi_k} for k = first..last (index 0 is bin `first`), phi_k = 2 pi u_k.
std::vector<std::complex<double>> patternPhasors(WatermarkKey key, const WatermarkScheme& scheme);

// One period, p[n] = sqrt(2 / K) sum_k cos(2 pi k n / L + phi_k): unit RMS.
std::vector<float> synthesisePattern(WatermarkKey key, const WatermarkScheme& scheme);

} // namespace echoforge::watermark
