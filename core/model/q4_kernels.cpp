#include "core/model/q4_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <immintrin.h>

namespace echoforge::kernels {

namespace {

constexpr int64_t kRowChunkBytes = Q4Layout::kChunkBytes;
constexpr int64_t kBlock = Q4Layout::kBlock;
constexpr int64_t kBlocks = Q4Layout::kBlocksPerChunk;
constexpr int64_t kPerChunk = Q4Layout::kWeightsPerChunk;

// Index of row o's chunk c among all row chunks; its bytes start at index·32, its scales at index·2.
inline int64_t rowChunk(const Q4Layout& layout, int64_t o, int64_t c) {
    return (o / kRowsPerGroup * layout.chunks() + c) * kRowsPerGroup + o % kRowsPerGroup;
}

inline float bf16Value(std::uint16_t bits) {
    const std::uint32_t word = std::uint32_t(bits) << 16;
    float value;
    std::memcpy(&value, &word, sizeof value);
    return value;
}

using GroupKernel = void (*)(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout,
                             const std::int8_t* xq, const float* xScales, float* y, int64_t g0, int64_t g1);

void scalarGroups(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const std::int8_t* xq,
                  const float* xScales, float* y, int64_t g0, int64_t g1) {
    for (int64_t o = g0 * kRowsPerGroup; o < std::min(layout.out, g1 * kRowsPerGroup); ++o) {
        float sum = 0;
        for (int64_t c = 0; c < layout.chunks(); ++c) {
            const std::uint8_t* bytes = weights + rowChunk(layout, o, c) * kRowChunkBytes;
            for (int64_t b = 0; b < kBlocks; ++b) {
                std::int32_t dot = 0;
                for (int64_t e = 0; e < kBlock; ++e) {
                    const int q = b == 0 ? bytes[e] & 0x0f : bytes[e] >> 4;
                    dot += (q - 8) * xq[c * kPerChunk + b * kBlock + e];
                }
                sum += float(dot) * bf16Value(scales[rowChunk(layout, o, c) * kBlocks + b]) * xScales[c * kBlocks + b];
            }
        }
        y[o] = sum;
    }
}

__attribute__((target("avx2"))) inline float horizontalSum(__m256 v) {
    const __m128 quad = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 pair = _mm_add_ps(quad, _mm_movehl_ps(quad, quad));
    return _mm_cvtss_f32(_mm_add_ss(pair, _mm_movehdup_ps(pair)));
}

// Each kernel is written once for a CPU with and without VNNI; the region is compiled for the
// former, and the variant without VNNI uses no VNNI intrinsic (the compiler makes none of its own
// from intrinsic code: maddubs saturates, vpdpbusd does not).
#pragma GCC push_options
#pragma GCC target("avx2,fma,avxvnni")

// The AVX2 kernel: one activation row, 32 inputs (one block) per vector. `dot(start, q, x)` adds
// the four-byte dot products of unsigned q and signed x to start's lanes.
template <typename Dot>
inline void avx2Like(const std::uint8_t* weights, const std::uint16_t* scales,
                                                    const Q4Layout& layout, const std::int8_t* xq, const float* xScales,
                                                    float* y, int64_t g0, int64_t g1, Dot dot) {
    const int64_t chunks = layout.chunks();
    const __m256i low = _mm256_set1_epi8(0x0f), eight = _mm256_set1_epi8(8), zero = _mm256_setzero_si256();
    for (int64_t g = g0; g < g1; ++g) {
        __m256 acc[kRowsPerGroup];
        for (auto& a : acc)
            a = _mm256_setzero_ps();
        const std::uint8_t* w = weights + g * chunks * kRowsPerGroup * kRowChunkBytes;
        const std::uint16_t* s = scales + g * chunks * kRowsPerGroup * kBlocks;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kRowChunkBytes, s += kRowsPerGroup * kBlocks) {
            const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq + c * kPerChunk));
            const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq + c * kPerChunk + kBlock));
            // The lanes start at −8·Σx of their four inputs: the nibbles hold q + 8.
            const __m256i start0 = _mm256_sub_epi32(zero, dot(zero, eight, x0));
            const __m256i start1 = _mm256_sub_epi32(zero, dot(zero, eight, x1));
            const float xs0 = xScales[c * kBlocks], xs1 = xScales[c * kBlocks + 1];
            for (int k = 0; k < kRowsPerGroup; ++k) {
                const __m256i packed = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + k * kRowChunkBytes));
                const __m256i q0 = _mm256_and_si256(packed, low);
                const __m256i q1 = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low);
                const __m256 d0 = _mm256_cvtepi32_ps(dot(start0, q0, x0));
                const __m256 d1 = _mm256_cvtepi32_ps(dot(start1, q1, x1));
                acc[k] = _mm256_fmadd_ps(d0, _mm256_set1_ps(bf16Value(s[k * kBlocks]) * xs0), acc[k]);
                acc[k] = _mm256_fmadd_ps(d1, _mm256_set1_ps(bf16Value(s[k * kBlocks + 1]) * xs1), acc[k]);
            }
        }
        for (int k = 0; k < kRowsPerGroup; ++k)
            if (g * kRowsPerGroup + k < layout.out)
                y[g * kRowsPerGroup + k] = horizontalSum(acc[k]);
    }
}

// maddubs pairs stay within int16: 2 · 15 · 127.
struct Avx2Dot {
    __m256i operator()(__m256i start, __m256i q, __m256i x) const {
        return _mm256_add_epi32(start, _mm256_madd_epi16(_mm256_maddubs_epi16(q, x), _mm256_set1_epi16(1)));
    }
};
struct AvxVnniDot {
    __m256i operator()(__m256i start, __m256i q, __m256i x) const { return _mm256_dpbusd_avx_epi32(start, q, x); }
};

void avx2Groups(const std::uint8_t* weights, const std::uint16_t* scales,
                                                     const Q4Layout& layout, const std::int8_t* xq, const float* xScales,
                                                     float* y, int64_t g0, int64_t g1) {
    avx2Like(weights, scales, layout, xq, xScales, y, g0, g1, Avx2Dot{});
}

void avxVnniGroups(const std::uint8_t* weights, const std::uint16_t* scales,
                                                                const Q4Layout& layout, const std::int8_t* xq,
                                                                const float* xScales, float* y, int64_t g0, int64_t g1) {
    avx2Like(weights, scales, layout, xq, xScales, y, g0, g1, AvxVnniDot{});
}

#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vnni")

// The two blocks' values in the lanes that hold their sums (lanes 0–7 the first block's).
inline __m512 perBlock(float first, float second) {
    return _mm512_mask_blend_ps(__mmask16(0xff00), _mm512_set1_ps(first), _mm512_set1_ps(second));
}

// The AVX-512 kernel with and without VNNI: a whole row chunk (both blocks) per vector.
template <typename Dot>
inline void avx512Like(const std::uint8_t* weights, const std::uint16_t* scales,
                                                      const Q4Layout& layout, const std::int8_t* xq,
                                                      const float* xScales, float* y, int64_t g0, int64_t g1, Dot dot) {
    const int64_t chunks = layout.chunks();
    const __m512i low = _mm512_set1_epi8(0x0f), eight = _mm512_set1_epi8(8), zero = _mm512_setzero_si512();
    const __m512i nibbleShift = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(4), 1);
    for (int64_t g = g0; g < g1; ++g) {
        __m512 acc[kRowsPerGroup];
        for (auto& a : acc)
            a = _mm512_setzero_ps();
        const std::uint8_t* w = weights + g * chunks * kRowsPerGroup * kRowChunkBytes;
        const std::uint16_t* s = scales + g * chunks * kRowsPerGroup * kBlocks;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kRowChunkBytes, s += kRowsPerGroup * kBlocks) {
            const __m512i x = _mm512_loadu_si512(xq + c * kPerChunk);
            const __m512i start = _mm512_sub_epi32(zero, dot(zero, eight, x));
            const __m512 xScale = perBlock(xScales[c * kBlocks], xScales[c * kBlocks + 1]);
            for (int k = 0; k < kRowsPerGroup; ++k) {
                // The row chunk in both halves, the upper one shifted down a nibble: the two blocks.
                const __m512i twice = _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + k * kRowChunkBytes)));
                const __m512i both = _mm512_and_si512(_mm512_srlv_epi16(twice, nibbleShift), low);
                const __m512 d = _mm512_cvtepi32_ps(dot(start, both, x));
                const __m512 scale = perBlock(bf16Value(s[k * kBlocks]), bf16Value(s[k * kBlocks + 1]));
                acc[k] = _mm512_fmadd_ps(d, _mm512_mul_ps(scale, xScale), acc[k]);
            }
        }
        for (int k = 0; k < kRowsPerGroup; ++k)
            if (g * kRowsPerGroup + k < layout.out)
                y[g * kRowsPerGroup + k] = _mm512_reduce_add_ps(acc[k]);
    }
}

struct Avx512Dot {
    __m512i operator()(__m512i start, __m512i q, __m512i x) const {
        return _mm512_add_epi32(start, _mm512_madd_epi16(_mm512_maddubs_epi16(q, x), _mm512_set1_epi16(1)));
    }
};
struct Avx512VnniDot {
    __m512i operator()(__m512i start, __m512i q, __m512i x) const { return _mm512_dpbusd_epi32(start, q, x); }
};

void avx512Groups(const std::uint8_t* weights, const std::uint16_t* scales,
                                                              const Q4Layout& layout, const std::int8_t* xq,
                                                              const float* xScales, float* y, int64_t g0, int64_t g1) {
    avx512Like(weights, scales, layout, xq, xScales, y, g0, g1, Avx512Dot{});
}

void avx512VnniGroups(
    const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const std::int8_t* xq,
    const float* xScales, float* y, int64_t g0, int64_t g1) {
    avx512Like(weights, scales, layout, xq, xScales, y, g0, g1, Avx512VnniDot{});
}

#pragma GCC pop_options

GroupKernel chooseKernel() {
    switch (activeIsa()) {
    case Isa::Avx512Vnni: return avx512VnniGroups;
    case Isa::Avx512: return avx512Groups;
    case Isa::AvxVnni: return avxVnniGroups;
    case Isa::Avx2: return avx2Groups;
    case Isa::Scalar: break;
    }
    return scalarGroups;
}

} // namespace

void quantizeQ4(const float* rowMajor, const Q4Layout& layout, std::uint8_t* weights, std::uint16_t* scales,
                int64_t groupBegin, int64_t groupEnd) {
    for (int64_t o = groupBegin * kRowsPerGroup; o < groupEnd * kRowsPerGroup; ++o)
        for (int64_t c = 0; c < layout.chunks(); ++c) {
            const int64_t at = rowChunk(layout, o, c);
            std::uint8_t* bytes = weights + at * kRowChunkBytes;
            std::fill_n(bytes, kRowChunkBytes, std::uint8_t(0x88));   // q = 0 in both nibbles
            for (int64_t b = 0; b < kBlocks; ++b) {
                const int64_t first = c * kPerChunk + b * kBlock;   // input index of the block's first weight
                const int64_t n = o < layout.out ? std::clamp<int64_t>(layout.in - first, 0, kBlock) : 0;
                const float* row = rowMajor + o * layout.in + first;
                float largest = 0;
                for (int64_t e = 0; e < n; ++e)
                    largest = std::max(largest, std::abs(row[e]));
                // The scale is rounded to bf16 first, so the stored weights are exactly q · scale.
                const std::uint16_t scaleBits = roundToBf16(largest / 7.0f);
                scales[at * kBlocks + b] = scaleBits;
                const float step = bf16Value(scaleBits);
                for (int64_t e = 0; e < n; ++e) {
                    const int q = step > 0 ? int(std::lround(std::clamp(row[e] / step, -8.0f, 7.0f))) : 0;
                    const auto nibble = std::uint8_t(q + 8);
                    bytes[e] = b == 0 ? std::uint8_t((bytes[e] & 0xf0) | nibble) : std::uint8_t((bytes[e] & 0x0f) | (nibble << 4));
                }
            }
        }
}

void dequantizeQ4(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, int64_t rowBegin,
                  int64_t rowEnd, float* out) {
    for (int64_t o = rowBegin; o < rowEnd; ++o)
        for (int64_t i = 0; i < layout.in; ++i) {
            const int64_t c = i / kPerChunk, b = i % kPerChunk / kBlock, e = i % kBlock;
            const std::uint8_t byte = weights[rowChunk(layout, o, c) * kRowChunkBytes + e];
            const int q = (b == 0 ? byte & 0x0f : byte >> 4) - 8;
            out[(o - rowBegin) * layout.in + i] = float(q) * bf16Value(scales[rowChunk(layout, o, c) * kBlocks + b]);
        }
}

void q4RowProduct(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const std::int8_t* xq,
                  const float* xScales, int64_t rows, float* y, int64_t groupBegin, int64_t groupEnd) {
    const GroupKernel kernel = chooseKernel();
    const int64_t padded = layout.paddedIn();
    for (int64_t r = 0; r < std::min<int64_t>(rows, kMaxRowsPerPass); ++r)
        kernel(weights, scales, layout, xq + r * padded, xScales + r * padded / kBlock, y + r * layout.out, groupBegin,
               groupEnd);
}

} // namespace echoforge::kernels
