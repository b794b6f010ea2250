#pragma once
// Weight formats as a table (as ggml keeps one row of kernels per type): each row says how a
// matrix W [out, in] is packed, how activations are prepared for it, and which kernel multiplies
// them. Linear holds a pointer to its row and branches on nothing; adding a format is one kernel
// file and one row here. Every format keeps rows in groups of four, interleaved in 64-byte
// chunks (row_kernels.h), and every kernel is chosen at run time from the CPU (activeIsa()).
// Torch-free: the caller splits groups across threads.

#include <cstddef>
#include <cstdint>

#include "core/model/precision.h"
#include "core/model/row_kernels.h"

namespace echoforge::kernels {

struct MatrixShape {
    int64_t out = 0;
    int64_t in = 0;
    int64_t groups() const { return (out + kRowsPerGroup - 1) / kRowsPerGroup; }
};

struct WeightFormat {
    WeightPrecision precision;
    const char* name;   // precisionName()'s word
    // Bytes of the packed W (padding included), and bytes one product reads (weights and scales).
    int64_t (*packedBytes)(const MatrixShape& shape);
    int64_t (*weightBytes)(const MatrixShape& shape);
    // Row-major fp32 W → groups [groupBegin, groupEnd) of the packed form.
    void (*pack)(const float* rowMajor, const MatrixShape& shape, std::byte* packed, int64_t groupBegin, int64_t groupEnd);
    // Rows [rowBegin, rowEnd) of the packed W back to row-major fp32.
    void (*unpack)(const std::byte* packed, const MatrixShape& shape, int64_t rowBegin, int64_t rowEnd, float* out);
    // Bytes of one activation row as the kernel reads it, and x [rows, in] → that form. The form
    // depends on the instruction set: prepare right before the product.
    int64_t (*preparedRowBytes)(const MatrixShape& shape);
    void (*prepare)(const float* x, int64_t rows, const MatrixShape& shape, std::byte* prepared);
    // Activation rows one call of `product` serves with one read of W (kMaxRowsPerPass for the
    // float formats, kMaxQuantizedRowsPerPass for int8 and 4-bit).
    int rowsPerPass;
    // Groups the kernel computes as one (4-bit: a tile of 16 rows). `product` takes any range,
    // but a range that splits a tile computes all of it, so callers split at multiples of this.
    int groupsPerTile;
    // y [rows, out] for the rows of groups [groupBegin, groupEnd); rows ≤ rowsPerPass.
    void (*product)(const std::byte* packed, const MatrixShape& shape, const std::byte* prepared, int64_t rows,
                    float* y, int64_t groupBegin, int64_t groupEnd);
};

const WeightFormat& weightFormat(WeightPrecision precision);

// The product for any number of prepared rows over groups [groupBegin, groupEnd): more rows than
// one pass takes go over tiles of groups small enough to stay in the L2 cache, so every pass
// after the first reads W from the cache, not from memory (batched streams share one read).
void multiplyGroups(const WeightFormat& format, const std::byte* packed, const MatrixShape& shape,
                    const std::byte* prepared, int64_t rows, float* y, int64_t groupBegin, int64_t groupEnd);

} // namespace echoforge::kernels
