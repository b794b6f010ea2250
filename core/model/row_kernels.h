#pragma once
// Products of a few activation rows with a bf16 weight matrix, y = x·Wᵀ, written by hand because they
// decide CSM's speed: each generated frame is ~30 decoder steps of one-row products, bound by how
// fast W streams from memory. Measured on this project's CPUs (docs/performance.md): torch's bf16
// `linear` reads ~28 GB/s only with AVX-512 BF16 and ~1.5 GB/s on AVX2-only CPUs, and row-major
// rows of 2 KB (the decoder's w1/w3) stream at ~60 % of the memory's speed even by hand, because
// each group of rows is several short streams. So W is stored interleaved: for each group of
// four rows, 64-byte chunks of row 0, 1, 2, 3, then the next chunk of each, which one thread reads
// as one sequential stream. Activations stay fp32 (bf16 weights widen exactly to fp32). fp32
// weights need none of this: torch's `mv` streams them at the memory's speed.
// The instruction set is chosen at run time. Torch-free: the caller splits groups across threads.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace echoforge::kernels {

inline constexpr int kRowsPerGroup = 4;
inline constexpr int64_t kChunkBytes = 64;   // one cache line of one row
// Activation rows served by one pass over W (two at a time); more go through a gemm.
inline constexpr int kMaxRowsPerPass = 4;

// The shape of an interleaved bf16 W [out, in]: groups of kRowsPerGroup rows (the last one
// padded with zero rows), each row padded with zeros to whole chunks.
struct InterleavedLayout {
    int64_t out = 0;
    int64_t in = 0;

    static constexpr int64_t kElementBytes = 2;
    static constexpr int64_t kElementsPerChunk = kChunkBytes / kElementBytes;
    int64_t paddedIn() const { return (in + kElementsPerChunk - 1) / kElementsPerChunk * kElementsPerChunk; }
    int64_t groups() const { return (out + kRowsPerGroup - 1) / kRowsPerGroup; }
    int64_t storageElements() const { return groups() * kRowsPerGroup * paddedIn(); }
};

// Row-major bf16 W [out, in] (raw 16-bit patterns) → the groups [groupBegin, groupEnd) of `packed`, which holds layout.storageElements() elements.
void interleave(const std::uint16_t* rowMajor, const InterleavedLayout& layout, std::uint16_t* packed,
                int64_t groupBegin, int64_t groupEnd);
// Group g from its four rows alone, `rows` [kRowsPerGroup, in] row-major (zeros past out).
void interleaveGroup(const std::uint16_t* rows, const InterleavedLayout& layout, std::uint16_t* packed, int64_t g);
// Rows [rowBegin, rowEnd) of an interleaved W back to row-major fp32 [rowEnd − rowBegin, in].
void deinterleaveToFloat(const std::uint16_t* packed, const InterleavedLayout& layout, int64_t rowBegin, int64_t rowEnd,
                         float* out);

// Activation rows in the order the kernels read them: the 32-bit lanes of a vector of weights
// hold (even, odd) pairs, widened by a shift and a mask, so the even inputs of each vector's span
// come first and the odd ones after.
struct PackedRows {
    const float* data = nullptr;   // [rows][stride]
    int64_t rows = 0;
    int64_t stride = 0;            // the layout's paddedIn(); the padding is zero
};

// x [rows, in] row-major → `out`, which holds rows·layout.paddedIn() floats.
PackedRows packRows(const float* x, int64_t rows, const InterleavedLayout& layout, float* out);

// y[r][o] = Σ_i x[r][i]·W[o][i] for the rows o of groups [groupBegin, groupEnd) that exist
// (o < out); y is [x.rows, out] fp32 row-major. x.rows ≤ kMaxRowsPerPass.
void rowProduct(const std::uint16_t* packed, const InterleavedLayout& layout, const PackedRows& x, float* y,
                int64_t groupBegin, int64_t groupEnd);

// With AVX-512 BF16 (at the Avx512Vnni level, below): the activations are rounded to bf16 too and
// each vdpbf16ps multiplies 32 pairs, half the instructions of widening W and two FMAs (kernel
// study in docs/performance.md: 125 against 156 ms per frame). The activations lose their low 16
// bits, as they do in the reference's bf16 model. Whether rowProductBf16 is the kernel now:
bool bf16DotProduct();
// x [rows, in] → bf16 bits [rows][layout.paddedIn()], rounded to nearest even, zero-padded.
void packRowsBf16(const float* x, int64_t rows, const InterleavedLayout& layout, std::uint16_t* out);
// rowProduct's contract with x as packRowsBf16 left it; rows ≤ kMaxRowsPerPass.
void rowProductBf16(const std::uint16_t* packed, const InterleavedLayout& layout, const std::uint16_t* x, int64_t rows,
                    float* y, int64_t groupBegin, int64_t groupEnd);
// fp32 → bf16 bits, rounded to nearest even as torch's conversion does (NaN stays NaN).
std::uint16_t roundToBf16(float value);

// The instruction set the kernels use: the best this CPU has, unless a test chose a lesser one.
// The VNNI levels add the integer dot product (vpdpbusd) to the int8 and 4-bit kernels; at
// Avx512Vnni the bf16 kernel also uses vdpbf16ps where the CPU has AVX-512 BF16.
enum class Isa { Scalar, Avx2, AvxVnni, Avx512, Avx512Vnni };
Isa activeIsa();
// Its name: "avx512vnni", "avx512", "avxvnni", "avx2" or "scalar".
const char* kernelIsaName();
// Every instruction set this CPU can run, best first (the names above).
std::vector<std::string> availableKernelIsas();
// Uses another instruction set from now on (tests compare them); false where the CPU lacks it or
// the name is unknown. Weights are packed the same for all; activations are prepared per product.
bool useKernelIsa(std::string_view name);

} // namespace echoforge::kernels
