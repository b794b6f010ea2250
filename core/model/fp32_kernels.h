#pragma once
// Products of a few activation rows with an fp32 weight matrix, y = x·Wᵀ, over the same
// interleaved layout as the bf16 kernels (row_kernels.h: groups of four rows, 64-byte chunks of
// each in turn), so one thread reads one sequential stream and the decoder step calls no torch
// operation. Each chunk holds 16 weights; the activations need no reordering.

#include <cstdint>

#include "core/model/row_kernels.h"

namespace echoforge::kernels {

struct Fp32Layout {
    int64_t out = 0;
    int64_t in = 0;

    static constexpr int64_t kPerChunk = kChunkBytes / 4;
    int64_t paddedIn() const { return (in + kPerChunk - 1) / kPerChunk * kPerChunk; }
    int64_t groups() const { return (out + kRowsPerGroup - 1) / kRowsPerGroup; }
    int64_t storageElements() const { return groups() * kRowsPerGroup * paddedIn(); }
};

// Row-major W [out, in] → groups [groupBegin, groupEnd) of `packed`.
void interleaveFp32(const float* rowMajor, const Fp32Layout& layout, float* packed, int64_t groupBegin, int64_t groupEnd);
// Rows [rowBegin, rowEnd) back to row-major [rowEnd − rowBegin, in].
void deinterleaveFp32(const float* packed, const Fp32Layout& layout, int64_t rowBegin, int64_t rowEnd, float* out);
// y[r][o] = Σ_i x[r][i]·W[o][i] for the rows o < out of groups [groupBegin, groupEnd); x is
// [rows][paddedIn] with zeros past `in`, rows ≤ kMaxRowsPerPass; y is [rows, out].
void fp32RowProduct(const float* packed, const Fp32Layout& layout, const float* x, int64_t rows, float* y,
                    int64_t groupBegin, int64_t groupEnd);

} // namespace echoforge::kernels
