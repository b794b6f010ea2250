#pragma once
// The activation rows of an int8 product as the kernels' inner loops read them: for each
// chunk of 64 inputs, the rows of the pass side by side, each with what its dot products need
// besides its int8 values. Built once per product and thread (a few µs for 8 rows of 8192), so
// that the inner loop walks one pointer instead of three per row (eight rows' pointers spilled
// from the general registers otherwise) and finds every correction term already made.
// Internal to int8_kernels.cpp (the 4-bit kernels broadcast x's four-byte pieces instead).

#include <cstdint>
#include <vector>

#include <immintrin.h>

#include "core/model/int8_kernels.h"

namespace echoforge::kernels {

// One row's part of one chunk; the buffer is [chunk][row of the pass].
struct alignas(64) ChunkRow {
    std::int8_t x[64];             // the inputs, int8
    union {
        std::int32_t starts[16];   // AVX-512: −bias·Σ of each four inputs (lanes 0–7 block 0, 8–15 block 1)
        std::int8_t pairs[64];     // AVX2: four inputs of block 0 then the same four of block 1, i = 0…7
    };
    std::int32_t blockBias[2];     // −bias·Σ of each block of 32
    float scales[2];               // the blocks' scales
};
static_assert(sizeof(ChunkRow) == 192);

// The inputs from which a one-row product takes four groups of weight rows per pass over x
// instead of one. x's chunks are read again for every group; at 8,192 inputs (w2) they are 24 KB a
// row, as many bytes as the 4-bit weights beside them and more than the L1 cache keeps while the
// weights stream through, and those products ran at 50–75 % of the others' speed. Four groups at
// once read x a quarter as often. With 1,024 or 2,048 inputs four groups were slower, so they keep
// one; so do several rows, whose accumulators fill the registers. Which kernels take four groups,
// and what each gained: int8_kernels.cpp.
inline constexpr int64_t kInputsForFourGroups = 6144;

// The rows [0, rows) of x, chunks of them, in this thread's buffer (valid until its next call).
// `bias` is what the kernels' unsigned weights are too large by: 128 for int8 weights under
// VNNI (w + 128), 0 where they are exact. `pairs` fills `pairs`
// instead of `starts`. Needs AVX2.
__attribute__((target("avx2"))) inline const ChunkRow* interleaveRows(const QuantizedRows& x, int64_t rows,
                                                                      int64_t chunks, std::int32_t bias,
                                                                      bool pairs = false) {
    thread_local std::vector<ChunkRow> buffer;
    buffer.resize(std::size_t(chunks * rows));
    const __m256i ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1), minusBias = _mm256_set1_epi32(-bias);
    for (int64_t c = 0; c < chunks; ++c)
        for (int64_t r = 0; r < rows; ++r) {
            ChunkRow& row = buffer[std::size_t(c * rows + r)];
            const std::int8_t* xq = x.q + r * x.qStride + c * 64;
            for (int b = 0; b < 2; ++b) {
                const __m256i values = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq + 32 * b));
                _mm256_store_si256(reinterpret_cast<__m256i*>(row.x + 32 * b), values);
                // Σ of each four inputs: 1·x pairs (exact in int16), then pairs of pairs.
                const __m256i fours = _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, values), ones16);
                const __m256i starts = _mm256_mullo_epi32(fours, minusBias);
                if (!pairs)
                    _mm256_store_si256(reinterpret_cast<__m256i*>(row.starts + 8 * b), starts);
                alignas(32) std::int32_t lanes[8];
                _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), starts);
                row.blockBias[b] = lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7];
                row.scales[b] = x.scales[r * x.scaleStride + c * 2 + b];
            }
            if (pairs)   // dword i of block 0, then dword i of block 1, for i = 0…7
                for (int half = 0; half < 2; ++half) {
                    const auto* first = reinterpret_cast<const __m128i*>(row.x + 16 * half);
                    const auto* second = reinterpret_cast<const __m128i*>(row.x + 32 + 16 * half);
                    const __m128i a = _mm_load_si128(first), b = _mm_load_si128(second);
                    _mm_store_si128(reinterpret_cast<__m128i*>(row.pairs + 32 * half), _mm_unpacklo_epi32(a, b));
                    _mm_store_si128(reinterpret_cast<__m128i*>(row.pairs + 32 * half + 16), _mm_unpackhi_epi32(a, b));
                }
        }
    return buffer.data();
}

// Dword i of in[j] → dword j of out[i]: an 8 × 8 transpose (unpack by dwords, by qwords, then halves).
__attribute__((target("avx2"))) inline void transpose(const __m256i (&in)[8], __m256i (&out)[8]) {
    __m256i a[8], b[8];
#pragma GCC unroll 16
    for (int j = 0; j < 8; j += 2) {
        a[j] = _mm256_unpacklo_epi32(in[j], in[j + 1]);
        a[j + 1] = _mm256_unpackhi_epi32(in[j], in[j + 1]);
    }
#pragma GCC unroll 16
    for (int j = 0; j < 8; j += 4) {
        b[j] = _mm256_unpacklo_epi64(a[j], a[j + 2]);
        b[j + 1] = _mm256_unpackhi_epi64(a[j], a[j + 2]);
        b[j + 2] = _mm256_unpacklo_epi64(a[j + 1], a[j + 3]);
        b[j + 3] = _mm256_unpackhi_epi64(a[j + 1], a[j + 3]);
    }
#pragma GCC unroll 16
    for (int i = 0; i < 4; ++i) {
        out[i] = _mm256_permute2x128_si256(b[i], b[i + 4], 0x20);
        out[i + 4] = _mm256_permute2x128_si256(b[i], b[i + 4], 0x31);
    }
}

} // namespace echoforge::kernels
