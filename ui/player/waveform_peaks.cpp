#include "ui/player/waveform_peaks.h"

#include <algorithm>
#include <cmath>

namespace echoforge::ui {
namespace {

PeakRange merge(PeakRange a, PeakRange b) {
    return {std::min(a.min, b.min), std::max(a.max, b.max)};
}

} // namespace

void WaveformPeaks::clear() {
    levels_.clear();
    pending_ = {};
    pendingCount_ = 0;
    sampleCount_ = 0;
    tail_.clear();
}

// Level L holds complete blocks of kBaseBlock * 2^L samples. A block of level L+1 is made once
// both of its halves exist in level L, so every stored peak is final.
void WaveformPeaks::appendToLevel(std::size_t level, PeakRange peak) {
    if (levels_.size() <= level)
        levels_.emplace_back();
    auto& blocks = levels_[level];
    blocks.push_back(peak);
    if (blocks.size() % 2 == 0)
        appendToLevel(level + 1, merge(blocks[blocks.size() - 2], blocks.back()));
}

void WaveformPeaks::append(std::span<const float> samples) {
    for (float s : samples) {
        if (pendingCount_ == 0)
            pending_ = {s, s};
        else
            pending_ = {std::min(pending_.min, s), std::max(pending_.max, s)};
        tail_.push_back(s);
        if (++pendingCount_ == kBaseBlock) {
            appendToLevel(0, pending_);
            pendingCount_ = 0;
            tail_.clear();
        }
    }
    sampleCount_ += static_cast<long long>(samples.size());
}

std::vector<PeakRange> WaveformPeaks::columns(long long first, long long last, int columnCount) const {
    std::vector<PeakRange> out(static_cast<std::size_t>(std::max(columnCount, 0)));
    first = std::clamp(first, 0LL, sampleCount_);
    last = std::clamp(last, first, sampleCount_);
    if (columnCount <= 0 || last <= first)
        return out;
    const double perColumn = double(last - first) / columnCount;

    // The coarsest level whose block fits in a column (level 0 when columns are narrower).
    std::size_t level = 0;
    long long block = kBaseBlock;
    while (level + 1 < levels_.size() && block * 2 <= perColumn) {
        ++level;
        block *= 2;
    }
    const long long completeSamples =
        levels_.empty() ? 0 : static_cast<long long>(levels_[0].size()) * kBaseBlock;
    const long long levelSamples =
        levels_.empty() ? 0 : static_cast<long long>(levels_[level].size()) * block;

    for (int c = 0; c < columnCount; ++c) {
        const long long from = first + static_cast<long long>(std::floor(c * perColumn));
        const long long to =
            std::max(from + 1, first + static_cast<long long>(std::floor((c + 1) * perColumn)));
        bool any = false;
        PeakRange r;
        auto take = [&](PeakRange p) {
            r = any ? merge(r, p) : p;
            any = true;
        };
        auto takeBlocks = [&](const std::vector<PeakRange>& blocks, long long size, long long a, long long b) {
            for (long long i = a / size; i * size < b; ++i)
                take(blocks[static_cast<std::size_t>(i)]);
        };
        // Three sources, left to right: the chosen level, the base level past its last whole
        // block, and the raw samples of the unfinished base block.
        if (from < levelSamples)
            takeBlocks(levels_[level], block, from, std::min(to, levelSamples));
        if (to > levelSamples && from < completeSamples)
            takeBlocks(levels_[0], kBaseBlock, std::max(from, levelSamples), std::min(to, completeSamples));
        if (to > completeSamples) {
            const auto start = static_cast<std::size_t>(std::max(from, completeSamples) - completeSamples);
            const auto stop = std::min(static_cast<std::size_t>(to - completeSamples), tail_.size());
            for (std::size_t i = start; i < stop; ++i)
                take({tail_[i], tail_[i]});
        }
        if (any)
            out[static_cast<std::size_t>(c)] = r;
    }
    return out;
}

} // namespace echoforge::ui
