#pragma once
// Products of a few activation rows with 4-bit weights: each block of 32 weights of a row is
// stored as 4-bit integers −8…7 with one bf16 scale (its largest magnitude / 7), so a weight takes
// 4.5 bits: an eighth of fp32's bytes, half of int8's. A frame of CSM-1B reads about 1.2 GB instead of int8's
// 5.1 GB (docs/performance.md). Rows are interleaved in groups of four like the other formats
// (row_kernels.h): one thread reads one stream of 32-byte row chunks (64 weights each).
// Within a row chunk, byte j holds weight j in its low nibble and weight 32 + j in its high
// nibble, so one mask and one shift give the two blocks as bytes in input order. The nibbles are
// stored as q + 8 (unsigned), which is what the byte dot products take; each block's sum is
// then corrected by 8·Σx. The activations are rounded per block of 32 to int8 as for int8
// weights (quantizeRows in int8_kernels.h), so a block's dot product is integer arithmetic.

#include <cstdint>

#include "core/model/int8_kernels.h"

namespace echoforge::kernels {

struct Q4Layout {
    int64_t out = 0;
    int64_t in = 0;

    static constexpr int64_t kWeightsPerChunk = 64;
    static constexpr int64_t kChunkBytes = kWeightsPerChunk / 2;
    static constexpr int64_t kBlock = 32;   // weights per scale
    static constexpr int64_t kBlocksPerChunk = kWeightsPerChunk / kBlock;
    int64_t paddedIn() const { return (in + kWeightsPerChunk - 1) / kWeightsPerChunk * kWeightsPerChunk; }
    int64_t chunks() const { return paddedIn() / kWeightsPerChunk; }
    int64_t groups() const { return (out + kRowsPerGroup - 1) / kRowsPerGroup; }
    int64_t weightBytes() const { return groups() * kRowsPerGroup * chunks() * kChunkBytes; }
    int64_t scaleCount() const { return groups() * kRowsPerGroup * chunks() * kBlocksPerChunk; }   // bf16 each
    // The activations' layout: the same padding, one int8 per input.
    Int8Layout activations() const { return {out, in}; }
};

// Row-major fp32 W [out, in] → groups [groupBegin, groupEnd) of `weights` [group][chunk][row][32
// bytes] and `scales` [group][chunk][row][2] (bf16 bits).
void quantizeQ4(const float* rowMajor, const Q4Layout& layout, std::uint8_t* weights, std::uint16_t* scales,
                int64_t groupBegin, int64_t groupEnd);
// Rows [rowBegin, rowEnd) back to row-major fp32 [rowEnd − rowBegin, in].
void dequantizeQ4(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, int64_t rowBegin,
                  int64_t rowEnd, float* out);

// y[r][o] = Σ_i x[r][i]·W[o][i] for the rows o < out of groups [groupBegin, groupEnd), with x as
// quantizeRows(…, layout.activations(), …) rounds it and x.rows ≤ kMaxQuantizedRowsPerPass; y is
// [x.rows, out]. Each row's result is the same bits whatever other rows share its pass.
void q4RowProduct(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
                  float* y, int64_t groupBegin, int64_t groupEnd);

} // namespace echoforge::kernels
