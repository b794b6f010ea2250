#pragma once
// Products of a few activation rows with 4-bit weights: each block of 32 weights of a row is
// stored as 4-bit integers −8…7 with one bf16 scale (its largest magnitude / 7), so a weight takes
// 4.5 bits: an eighth of fp32's bytes, half of int8's. A frame of CSM-1B reads about 2.6 GB
// instead of int8's 5.1 GB (docs/performance.md).
//
// Rows are stored in tiles of 16 (four of the other formats' groups), so that the arithmetic per
// weight is small: for each block of 32 inputs, four 64-byte vectors in which byte 4l + p holds
// row l's weight 8v + p (v: the vector) in its low nibble and weight 8v + 4 + p in its high one,
// then the tile's 16 scales of that block. Lane l of a 32-bit dot product (vpdpbusd) then meets
// four weights of row l and the same four inputs in every lane, a broadcast; eight of them cover
// row l's whole block, and one conversion, one scale product and one FMA finish it for all 16
// rows. That unpacked and multiplied ~1.4–1.5× as many weights a second as groups of four rows
// with two rows' half-blocks per vector (docs/performance.md). AVX2 reads each vector as two
// halves of eight rows; the packing is the same for every instruction set. The nibbles are
// stored as q + 8 (unsigned), which is what the byte dot products take; each block's sum starts
// at −8·Σx. The activations are rounded per block of 32 to int8 as for int8 weights
// (quantizeRows in int8_kernels.h), so a block's dot product is integer arithmetic.

#include <cstdint>

#include "core/model/int8_kernels.h"

namespace echoforge::kernels {

struct Q4Layout {
    int64_t out = 0;
    int64_t in = 0;

    static constexpr int64_t kBlock = 32;   // weights per scale
    static constexpr int64_t kTileRows = 16;
    static constexpr int64_t kBlockBytes = kTileRows * kBlock / 2;   // one block of a tile
    // Inputs padded as the activations are (Int8Layout), to whole chunks of 64.
    int64_t paddedIn() const { return activations().paddedIn(); }
    int64_t blocks() const { return paddedIn() / kBlock; }
    int64_t groups() const { return (out + kRowsPerGroup - 1) / kRowsPerGroup; }
    int64_t tiles() const { return (out + kTileRows - 1) / kTileRows; }
    int64_t weightBytes() const { return tiles() * blocks() * kBlockBytes; }
    int64_t scaleCount() const { return tiles() * blocks() * kTileRows; }   // bf16 each
    // The activations' layout: one int8 per input.
    Int8Layout activations() const { return {out, in}; }
};

// Row-major fp32 W [out, in] → the rows of groups [groupBegin, groupEnd) in `weights`
// [tile][block][256 bytes] and `scales` [tile][block][16] (bf16 bits); the last group also writes
// its tile's padding rows. Each row's bytes are its own, so ranges can be packed side by side.
void quantizeQ4(const float* rowMajor, const Q4Layout& layout, std::uint8_t* weights, std::uint16_t* scales,
                int64_t groupBegin, int64_t groupEnd);
// Rows [rowBegin, rowEnd) back to row-major fp32 [rowEnd − rowBegin, in].
void dequantizeQ4(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, int64_t rowBegin,
                  int64_t rowEnd, float* out);

// y[r][o] = Σ_i x[r][i]·W[o][i] for the rows o < out of groups [groupBegin, groupEnd), with x as
// quantizeRows(…, layout.activations(), …) rounds it and x.rows ≤ kMaxQuantizedRowsPerPass; y is
// [x.rows, out]. Each row's result is the same bits whatever other rows share its pass. A range
// that splits a tile computes the whole tile and writes its own rows.
void q4RowProduct(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
                  float* y, int64_t groupBegin, int64_t groupEnd);

} // namespace echoforge::kernels
