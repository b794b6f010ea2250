#pragma once
// Products of a few activation rows with 8-bit weights: each block of 32 weights of a row is
// stored as int8 with one fp32 scale (its largest magnitude / 127), so a frame reads a quarter of
// fp32's bytes and half of bf16's. Rows are interleaved in groups of four like the bf16 kernels' (row_kernels.h):
// one thread streams one sequence of 64-byte chunks. The activations are rounded the same way,
// per block of 32, so that each block's dot product is one integer instruction sequence
// (maddubs + madd) instead of widening every weight to fp32, which made AVX2 compute-bound at
// half the memory's speed. Each weight and each input moves by at most half a step (1/254 of its
// block's largest magnitude).

#include <cstdint>

#include "core/model/row_kernels.h"

namespace echoforge::kernels {

struct Int8Layout {
    int64_t out = 0;
    int64_t in = 0;

    static constexpr int64_t kWeightsPerChunk = kChunkBytes;   // one byte each
    static constexpr int64_t kBlock = 32;                      // weights per scale
    static constexpr int64_t kBlocksPerChunk = kWeightsPerChunk / kBlock;
    int64_t paddedIn() const { return (in + kWeightsPerChunk - 1) / kWeightsPerChunk * kWeightsPerChunk; }
    int64_t chunks() const { return paddedIn() / kWeightsPerChunk; }
    int64_t groups() const { return (out + kRowsPerGroup - 1) / kRowsPerGroup; }
    int64_t weightCount() const { return groups() * kRowsPerGroup * paddedIn(); }   // int8, padded
    int64_t scaleCount() const { return weightCount() / kBlock; }                   // fp32
};

// Row-major fp32 W [out, in] → groups [groupBegin, groupEnd) of `weights` [group][chunk][row][64]
// and `scales` [group][chunk][row][2].
void quantizeInt8(const float* rowMajor, const Int8Layout& layout, std::int8_t* weights, float* scales,
                  int64_t groupBegin, int64_t groupEnd);
// Rows [rowBegin, rowEnd) back to row-major fp32 [rowEnd − rowBegin, in].
void dequantizeInt8(const std::int8_t* weights, const float* scales, const Int8Layout& layout, int64_t rowBegin,
                    int64_t rowEnd, float* out);

// Activation rows x [rows, in] rounded per block of 32: `q` gets rows·paddedIn() int8 (zero past
// `in`), `scales` rows·paddedIn()/32 fp32.
void quantizeRows(const float* x, int64_t rows, const Int8Layout& layout, std::int8_t* q, float* scales);

// Activation rows as the kernels read them: row r's int8 values at q + r·qStride, its block
// scales at scales + r·scaleStride. quantizeRows leaves them at strides paddedIn() and
// paddedIn() / 32; a WeightFormat's prepared rows keep each row's values and scales together.
struct QuantizedRows {
    const std::int8_t* q = nullptr;
    const float* scales = nullptr;
    int64_t rows = 0;
    int64_t qStride = 0;
    int64_t scaleStride = 0;
};

// Activation rows one pass of the int8 and 4-bit kernels serves: CSM batches up to eight streams,
// and each weight chunk is unpacked once for all of them (the dot products, not the reads, are
// what these kernels spend their time on). Eight rows' accumulators (two vectors each) fit
// AVX-512's 32 registers; AVX2 keeps one vector a row.
inline constexpr int kMaxQuantizedRowsPerPass = 8;

// y[r][o] = Σ_i x[r][i]·W[o][i] for the rows o < out of groups [groupBegin, groupEnd), with
// x.rows ≤ kMaxQuantizedRowsPerPass; y is [x.rows, out]. Each row's result is the same bits
// whatever other rows share its pass (batched streams make exactly the frames they make alone).
void int8RowProduct(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const QuantizedRows& x,
                    float* y, int64_t groupBegin, int64_t groupEnd);

} // namespace echoforge::kernels
