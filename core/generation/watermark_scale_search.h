#pragma once
// The desynchronisation search of the watermark (docs/watermark.md, "Search over time scales"):
// finds the mark after a speed, tempo or pitch change of up to +-10 %. Each Hann-windowed frame
// of one pattern period is whitened and correlated with the pattern scaled in frequency by each
// candidate factor; the best lag of every frame is found on its own, so a lag that drifts or
// jumps from frame to frame (time stretching) costs nothing; the frames' best peaks are summed
// and compared with their sum on unmarked audio.

#include <complex>
#include <span>
#include <vector>

#include "core/generation/watermark.h"
#include "core/generation/watermark_fft.h"
#include "core/generation/watermark_pattern.h"

namespace echoforge::watermark {

struct ScaleSearchResult {
    double score = 0;    // max over scales of the standardised sum of frame peaks
    double scale = 1.0;  // the frequency factor at the best score (> 1: the clip was sped up or raised)
    int framesUsed = 0;
};

class ScaleSearch {
public:
    ScaleSearch(WatermarkKey key, const WatermarkScheme& scheme);

    // Audio at the scheme's rate, all samples finite.
    ScaleSearchResult search(std::span<const float> pcm24k) const;

    // The frequency factors searched, in order (docs/watermark.md).
    std::vector<double> scales() const;

private:
    // Whitened spectra Y/|Y| of the usable frames, bins [lowBin_, highBin_] (index 0 is lowBin_).
    std::vector<std::vector<std::complex<double>>> whitenedFrames(std::span<const float> pcm) const;

    WatermarkScheme scheme_;
    BandBins band_;
    int lowBin_ = 0, highBin_ = 0;                 // bins any scale may read
    std::vector<std::complex<double>> halfConjPhasors_;   // e^{-i phi_k} / 2, [band.count()]
    std::vector<double> window_;                   // periodic Hann, [period]
    Fft fft_;
};

} // namespace echoforge::watermark
