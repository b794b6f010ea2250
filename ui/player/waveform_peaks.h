#pragma once
// Min/max peaks of a clip at every zoom level, so drawing a 10-minute clip costs a few thousand
// reads whatever the width. Level 0 summarises blocks of kBaseBlock samples; each level above
// halves the count. Appending (streamed audio) updates only the tail of each level.

#include <span>
#include <vector>

namespace echoforge::ui {

struct PeakRange {
    float min = 0;
    float max = 0;
};

class WaveformPeaks {
public:
    static constexpr int kBaseBlock = 64;

    void clear();
    void append(std::span<const float> samples);

    long long sampleCount() const { return sampleCount_; }
    int levelCount() const { return int(levels_.size()); }

    // `columns` peaks covering samples [first, last): each column the min and max of its span,
    // read from the coarsest level whose blocks are no wider than a column.
    std::vector<PeakRange> columns(long long first, long long last, int columns) const;

private:
    void appendToLevel(std::size_t level, PeakRange peak);

    std::vector<std::vector<PeakRange>> levels_;
    PeakRange pending_;        // the partial base block at the end
    int pendingCount_ = 0;
    long long sampleCount_ = 0;
    std::vector<float> tail_;  // the samples of the partial base block (for exact short clips)
};

} // namespace echoforge::ui
