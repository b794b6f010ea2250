#include "core/model/weight_format.h"

#include <algorithm>
#include <vector>

#include "core/model/fp32_kernels.h"
#include "core/model/int8_kernels.h"
#include "core/model/q4_kernels.h"

namespace echoforge::kernels {

namespace {

// Bytes of W one tile of groups may hold while all passes of activation rows read it.
constexpr int64_t kTileBytes = 256 * 1024;

template <typename T>
T* as(std::byte* p) { return reinterpret_cast<T*>(p); }
template <typename T>
const T* as(const std::byte* p) { return reinterpret_cast<const T*>(p); }

// ---- fp32 (fp32_kernels.h)
Fp32Layout fp32Layout(const MatrixShape& s) { return {s.out, s.in}; }

const WeightFormat kFp32{
    WeightPrecision::Float32, "fp32",
    [](const MatrixShape& s) { return fp32Layout(s).storageElements() * 4; },
    [](const MatrixShape& s) { return s.out * s.in * 4; },
    [](const float* w, const MatrixShape& s, std::byte* packed, int64_t g0, int64_t g1) {
        interleaveFp32(w, fp32Layout(s), as<float>(packed), g0, g1);
    },
    [](const std::byte* packed, const MatrixShape& s, int64_t r0, int64_t r1, float* out) {
        deinterleaveFp32(as<float>(packed), fp32Layout(s), r0, r1, out);
    },
    [](const MatrixShape& s) { return fp32Layout(s).paddedIn() * 4; },
    [](const float* x, int64_t rows, const MatrixShape& s, std::byte* prepared) {
        const int64_t stride = fp32Layout(s).paddedIn();
        for (int64_t r = 0; r < rows; ++r) {
            std::copy_n(x + r * s.in, s.in, as<float>(prepared) + r * stride);
            std::fill(as<float>(prepared) + r * stride + s.in, as<float>(prepared) + (r + 1) * stride, 0.0f);
        }
    },
    kMaxRowsPerPass, 1,
    [](const std::byte* packed, const MatrixShape& s, const std::byte* x, int64_t rows, float* y, int64_t g0, int64_t g1) {
        fp32RowProduct(as<float>(packed), fp32Layout(s), as<float>(x), rows, y, g0, g1);
    },
};

// ---- bf16 (row_kernels.h): widened to fp32, or with vdpbf16ps where the CPU has it
InterleavedLayout bf16Layout(const MatrixShape& s) { return {s.out, s.in}; }

const WeightFormat kBf16{
    WeightPrecision::BFloat16, "bf16",
    [](const MatrixShape& s) { return bf16Layout(s).storageElements() * 2; },
    [](const MatrixShape& s) { return s.out * s.in * 2; },
    [](const float* w, const MatrixShape& s, std::byte* packed, int64_t g0, int64_t g1) {
        // Rounded a group at a time into a row-major scratch, then interleaved.
        std::vector<std::uint16_t> rounded(std::size_t(kRowsPerGroup * s.in));
        for (int64_t g = g0; g < g1; ++g) {
            for (int64_t i = 0; i < kRowsPerGroup * s.in; ++i)
                rounded[std::size_t(i)] = g * kRowsPerGroup + i / s.in < s.out ? roundToBf16(w[g * kRowsPerGroup * s.in + i]) : 0;
            interleaveGroup(rounded.data(), bf16Layout(s), as<std::uint16_t>(packed), g);
        }
    },
    [](const std::byte* packed, const MatrixShape& s, int64_t r0, int64_t r1, float* out) {
        deinterleaveToFloat(as<std::uint16_t>(packed), bf16Layout(s), r0, r1, out);
    },
    [](const MatrixShape& s) { return bf16Layout(s).paddedIn() * (bf16DotProduct() ? 2 : 4); },
    [](const float* x, int64_t rows, const MatrixShape& s, std::byte* prepared) {
        if (bf16DotProduct())
            packRowsBf16(x, rows, bf16Layout(s), as<std::uint16_t>(prepared));
        else
            packRows(x, rows, bf16Layout(s), as<float>(prepared));
    },
    kMaxRowsPerPass, 1,
    [](const std::byte* packed, const MatrixShape& s, const std::byte* x, int64_t rows, float* y, int64_t g0, int64_t g1) {
        const auto layout = bf16Layout(s);
        if (bf16DotProduct())
            rowProductBf16(as<std::uint16_t>(packed), layout, as<std::uint16_t>(x), rows, y, g0, g1);
        else
            rowProduct(as<std::uint16_t>(packed), layout, {as<float>(x), rows, layout.paddedIn()}, y, g0, g1);
    },
};

// ---- int8 and 4-bit: activations rounded to int8 per block of 32 (int8_kernels.h); a prepared
// row is paddedIn int8 values, then paddedIn / 32 fp32 scales.
Int8Layout int8Layout(const MatrixShape& s) { return {s.out, s.in}; }
int64_t quantizedRowBytes(const MatrixShape& s) {
    const int64_t padded = int8Layout(s).paddedIn();
    return padded + padded / Int8Layout::kBlock * 4;
}
void prepareQuantized(const float* x, int64_t rows, const MatrixShape& s, std::byte* prepared) {
    const auto layout = int8Layout(s);
    const int64_t padded = layout.paddedIn();
    for (int64_t r = 0; r < rows; ++r) {
        std::byte* row = prepared + r * quantizedRowBytes(s);
        quantizeRows(x + r * s.in, 1, layout, as<std::int8_t>(row), as<float>(row + padded));
    }
}
// The prepared rows as the kernels read them: each row's int8 values, then its scales.
QuantizedRows quantizedRows(const std::byte* x, int64_t rows, const MatrixShape& s) {
    const int64_t rowBytes = quantizedRowBytes(s);
    return {as<std::int8_t>(x), as<float>(x + int8Layout(s).paddedIn()), rows, rowBytes, rowBytes / int64_t(sizeof(float))};
}

const WeightFormat kInt8{
    WeightPrecision::Int8, "int8",
    [](const MatrixShape& s) { return int8Layout(s).weightCount() + int8Layout(s).scaleCount() * 4; },
    [](const MatrixShape& s) { return s.out * s.in + s.out * s.in / Int8Layout::kBlock * 4; },
    [](const float* w, const MatrixShape& s, std::byte* packed, int64_t g0, int64_t g1) {
        const auto layout = int8Layout(s);
        quantizeInt8(w, layout, as<std::int8_t>(packed), as<float>(packed + layout.weightCount()), g0, g1);
    },
    [](const std::byte* packed, const MatrixShape& s, int64_t r0, int64_t r1, float* out) {
        const auto layout = int8Layout(s);
        dequantizeInt8(as<std::int8_t>(packed), as<float>(packed + layout.weightCount()), layout, r0, r1, out);
    },
    quantizedRowBytes, prepareQuantized,
    kMaxQuantizedRowsPerPass, 1,
    [](const std::byte* packed, const MatrixShape& s, const std::byte* x, int64_t rows, float* y, int64_t g0, int64_t g1) {
        const auto layout = int8Layout(s);
        int8RowProduct(as<std::int8_t>(packed), as<float>(packed + layout.weightCount()), layout, quantizedRows(x, rows, s), y,
                       g0, g1);
    },
};

Q4Layout q4Layout(const MatrixShape& s) { return {s.out, s.in}; }

const WeightFormat kQ4{
    WeightPrecision::Q4, "q4",
    [](const MatrixShape& s) { return q4Layout(s).weightBytes() + q4Layout(s).scaleCount() * 2; },
    [](const MatrixShape& s) { return s.out * s.in / 2 + s.out * s.in / Q4Layout::kBlock * 2; },
    [](const float* w, const MatrixShape& s, std::byte* packed, int64_t g0, int64_t g1) {
        const auto layout = q4Layout(s);
        quantizeQ4(w, layout, as<std::uint8_t>(packed), as<std::uint16_t>(packed + layout.weightBytes()), g0, g1);
    },
    [](const std::byte* packed, const MatrixShape& s, int64_t r0, int64_t r1, float* out) {
        const auto layout = q4Layout(s);
        dequantizeQ4(as<std::uint8_t>(packed), as<std::uint16_t>(packed + layout.weightBytes()), layout, r0, r1, out);
    },
    quantizedRowBytes, prepareQuantized,
    kMaxQuantizedRowsPerPass, Q4Layout::kTileRows / kRowsPerGroup,
    [](const std::byte* packed, const MatrixShape& s, const std::byte* x, int64_t rows, float* y, int64_t g0, int64_t g1) {
        const auto layout = q4Layout(s);
        q4RowProduct(as<std::uint8_t>(packed), as<std::uint16_t>(packed + layout.weightBytes()), layout,
                     quantizedRows(x, rows, s), y, g0, g1);
    },
};

} // namespace

const WeightFormat& weightFormat(WeightPrecision precision) {
    switch (precision) {
    case WeightPrecision::BFloat16: return kBf16;
    case WeightPrecision::Int8: return kInt8;
    case WeightPrecision::Q4: return kQ4;
    case WeightPrecision::Float32: break;
    }
    return kFp32;
}

void multiplyGroups(const WeightFormat& format, const std::byte* packed, const MatrixShape& shape,
                    const std::byte* prepared, int64_t rows, float* y, int64_t groupBegin, int64_t groupEnd) {
    const int64_t rowBytes = format.preparedRowBytes(shape);
    const int64_t perPass = format.rowsPerPass;
    if (rows <= perPass) {
        format.product(packed, shape, prepared, rows, y, groupBegin, groupEnd);
        return;
    }
    const int64_t groupBytes = std::max<int64_t>(1, format.packedBytes(shape) / std::max<int64_t>(1, shape.groups()));
    const int64_t kernelTile = format.groupsPerTile;   // whole ones, so that no pass splits one
    const int64_t tile = std::max<int64_t>(1, kTileBytes / groupBytes / kernelTile) * kernelTile;
    for (int64_t g = groupBegin; g < groupEnd; g += tile)
        for (int64_t r = 0; r < rows; r += perPass)
            format.product(packed, shape, prepared + r * rowBytes, std::min(perPass, rows - r),
                           y + r * shape.out, g, std::min(groupEnd, g + tile));
}

} // namespace echoforge::kernels
