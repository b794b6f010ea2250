#pragma once
// Detection side of the watermark (docs/watermark.md, "Detection"): resample to 24 kHz, whiten
// each block of one pattern period (phase transform), sum the blocks, correlate with the pattern
// at every circular offset, and score the highest peak against the spread of all offsets; then
// search time scales for a mark that a speed, tempo or pitch change has moved (ScaleSearch).

#include <complex>
#include <span>
#include <vector>

#include "core/generation/watermark.h"
#include "core/generation/watermark_fft.h"
#include "core/generation/watermark_pattern.h"
#include "core/generation/watermark_scale_search.h"

namespace echoforge::watermark {

class Detector {
public:
    Detector(WatermarkKey key, const WatermarkScheme& scheme);

    Detection detect(std::span<const float> pcm, int sampleRate) const;

    // The same on audio already at the scheme's rate.
    Detection detectAtSchemeRate(std::span<const float> pcm24k) const;

private:
    // The synchronous test alone (docs/watermark.md, "Detection", steps 2-6).
    Detection synchronousDetection(std::span<const float> pcm24k) const;
    // Sum over usable blocks of Y_b[k] / |Y_b[k]| for the band's bins; counts the blocks used.
    std::vector<std::complex<double>> whitenedBlockSum(std::span<const float> pcm, int& blocksUsed) const;

    WatermarkScheme scheme_;
    BandBins band_;
    std::vector<std::complex<double>> phasors_;   // [band.count()]
    Fft fft_;
    ScaleSearch search_;
};

} // namespace echoforge::watermark
