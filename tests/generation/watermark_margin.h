#pragma once
// Issue 18, point 4: every take the product writes carries the mark with a wide margin, checked on
// the audio each path actually produces (the engine's result, its streamed chunks, the CLI's file).
// Takes of the tiny model once scored 5.9-8.0 against a threshold of 6, so "detected" alone could
// pass by luck: the margin asked is half as much again as either detector's threshold.

#include <vector>

#include <QString>

#include "core/audio/audio_io.h"
#include "core/generation/watermark.h"

namespace echoforge::testing {

// Empty when `take` (24 kHz mono) carries the product's mark with the margin; else the scores.
inline QString markMarginShortfall(const std::vector<float>& take) {
    const Detection d = Watermarker().detect(take, kOutputSampleRate);
    if (d.detected && (d.score >= 1.5 * d.threshold || d.searchScore >= 1.5 * d.searchThreshold))
        return {};
    return QStringLiteral("the mark is not found with 1.5x margin: synchronous %1 (threshold %2), search %3 (threshold %4)")
        .arg(d.score).arg(d.threshold).arg(d.searchScore).arg(d.searchThreshold);
}

} // namespace echoforge::testing
