#include "core/model/int8_kernels.h"

#include <algorithm>
#include <cmath>

#include <immintrin.h>

namespace echoforge::kernels {

namespace {

constexpr int64_t kChunk = Int8Layout::kWeightsPerChunk;
constexpr int64_t kBlock = Int8Layout::kBlock;
constexpr int64_t kBlocks = Int8Layout::kBlocksPerChunk;

// Offsets of row o's chunk c: its 64 weights, and its kBlocks scales.
inline int64_t weightOffset(const Int8Layout& layout, int64_t o, int64_t c) {
    return ((o / kRowsPerGroup * layout.chunks() + c) * kRowsPerGroup + o % kRowsPerGroup) * kChunk;
}
inline int64_t scaleOffset(const Int8Layout& layout, int64_t o, int64_t c) { return weightOffset(layout, o, c) / kBlock; }

using GroupKernel = void (*)(const std::int8_t* weights, const float* scales, const Int8Layout& layout,
                             const std::int8_t* xq, const float* xScales, float* y, int64_t g0, int64_t g1);

void scalarGroups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
                  const float* xScales, float* y, int64_t g0, int64_t g1) {
    for (int64_t o = g0 * kRowsPerGroup; o < std::min(layout.out, g1 * kRowsPerGroup); ++o) {
        float sum = 0;
        for (int64_t c = 0; c < layout.chunks(); ++c)
            for (int64_t b = 0; b < kBlocks; ++b) {
                std::int32_t dot = 0;
                for (int64_t e = 0; e < kBlock; ++e)
                    dot += std::int32_t(weights[weightOffset(layout, o, c) + b * kBlock + e]) * xq[c * kChunk + b * kBlock + e];
                sum += float(dot) * scales[scaleOffset(layout, o, c) + b] * xScales[c * kBlocks + b];
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
//
// A `Dot` gives Σ w·x of each four byte pairs as int32 lanes: `prepare(x)` once per block of
// inputs (shared by the group's four rows), then `dot(prepared, w)` per row.
//   Without VNNI, maddubs multiplies unsigned by signed bytes, so |w| meets x with w's sign, and
//   madd adds the pairs; no pair sum can saturate, since both stay within ±127.
//   With VNNI, vpdpbusd does it in one instruction: the weights go in as w + 128 (w xor 0x80, now
//   unsigned) and the lanes start from −128·Σx of their four inputs, so each ends with Σ w·x.
#pragma GCC push_options
#pragma GCC target("avx2,fma,avxvnni")

struct Avx2Dot {
    __m256i prepare(__m256i x) const { return x; }
    __m256i dot(__m256i x, __m256i w) const {
        const __m256i pairs = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
        return _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
    }
};
struct AvxVnniDot {
    struct Prepared { __m256i x, start; };
    Prepared prepare(__m256i x) const {
        const __m256i bias = _mm256_set1_epi8(char(0x80));
        return {x, _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), bias, x))};
    }
    __m256i dot(const Prepared& p, __m256i w) const {
        return _mm256_dpbusd_avx_epi32(p.start, _mm256_xor_si256(w, _mm256_set1_epi8(char(0x80))), p.x);
    }
};

// One block of 32 weights per vector.
template <typename Dot>
void avx2Like(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
              const float* xScales, float* y, int64_t g0, int64_t g1, Dot kernel) {
    const int64_t chunks = layout.chunks();
    for (int64_t g = g0; g < g1; ++g) {
        __m256 acc[kRowsPerGroup];
        for (auto& a : acc)
            a = _mm256_setzero_ps();
        const std::int8_t* w = weights + g * chunks * kRowsPerGroup * kChunk;
        const float* s = scales + g * chunks * kRowsPerGroup * kBlocks;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kChunk, s += kRowsPerGroup * kBlocks)
            for (int64_t b = 0; b < kBlocks; ++b) {
                const auto x = kernel.prepare(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq + c * kChunk + b * kBlock)));
                const float xScale = xScales[c * kBlocks + b];
                for (int k = 0; k < kRowsPerGroup; ++k) {
                    const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + k * kChunk + b * kBlock));
                    const __m256 dot = _mm256_cvtepi32_ps(kernel.dot(x, block));
                    acc[k] = _mm256_fmadd_ps(dot, _mm256_set1_ps(s[k * kBlocks + b] * xScale), acc[k]);
                }
            }
        for (int k = 0; k < kRowsPerGroup; ++k)
            if (g * kRowsPerGroup + k < layout.out)
                y[g * kRowsPerGroup + k] = horizontalSum(acc[k]);
    }
}

void avx2Groups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
                const float* xScales, float* y, int64_t g0, int64_t g1) {
    avx2Like(weights, scales, layout, xq, xScales, y, g0, g1, Avx2Dot{});
}

void avxVnniGroups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
                   const float* xScales, float* y, int64_t g0, int64_t g1) {
    avx2Like(weights, scales, layout, xq, xScales, y, g0, g1, AvxVnniDot{});
}

#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vnni")

struct Avx512Dot {
    __m512i prepare(__m512i x) const { return x; }
    __m512i dot(__m512i x, __m512i w) const {
        // AVX-512 has no byte sign instruction: negate x where w < 0, and take |w|.
        const __mmask64 wNegative = _mm512_movepi8_mask(w);   // the sign bits
        const __m512i xSigned = _mm512_mask_sub_epi8(x, wNegative, _mm512_setzero_si512(), x);
        return _mm512_madd_epi16(_mm512_maddubs_epi16(_mm512_abs_epi8(w), xSigned), _mm512_set1_epi16(1));
    }
};
struct Avx512VnniDot {
    struct Prepared { __m512i x, start; };
    Prepared prepare(__m512i x) const {
        const __m512i bias = _mm512_set1_epi8(char(0x80));
        return {x, _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), bias, x))};
    }
    __m512i dot(const Prepared& p, __m512i w) const {
        return _mm512_dpbusd_epi32(p.start, _mm512_xor_si512(w, _mm512_set1_epi8(char(0x80))), p.x);
    }
};

// The two blocks' scales, in the lanes that hold their sums.
inline __m512 perBlock(const float* scales) {
    return _mm512_mask_blend_ps(__mmask16(0xff00), _mm512_set1_ps(scales[0]), _mm512_set1_ps(scales[1]));
}

// A whole chunk at once: lanes 0–7 hold the first block's sums, lanes 8–15 the second's.
template <typename Dot>
void avx512Like(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
                const float* xScales, float* y, int64_t g0, int64_t g1, Dot kernel) {
    const int64_t chunks = layout.chunks();
    for (int64_t g = g0; g < g1; ++g) {
        __m512 acc[kRowsPerGroup];
        for (auto& a : acc)
            a = _mm512_setzero_ps();
        const std::int8_t* w = weights + g * chunks * kRowsPerGroup * kChunk;
        const float* s = scales + g * chunks * kRowsPerGroup * kBlocks;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kChunk, s += kRowsPerGroup * kBlocks) {
            const auto x = kernel.prepare(_mm512_loadu_si512(xq + c * kChunk));
            const __m512 xScale = perBlock(xScales + c * kBlocks);
            for (int k = 0; k < kRowsPerGroup; ++k) {
                const __m512 dot = _mm512_cvtepi32_ps(kernel.dot(x, _mm512_loadu_si512(w + k * kChunk)));
                acc[k] = _mm512_fmadd_ps(dot, _mm512_mul_ps(perBlock(s + k * kBlocks), xScale), acc[k]);
            }
        }
        for (int k = 0; k < kRowsPerGroup; ++k)
            if (g * kRowsPerGroup + k < layout.out)
                y[g * kRowsPerGroup + k] = _mm512_reduce_add_ps(acc[k]);
    }
}

void avx512Groups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
                  const float* xScales, float* y, int64_t g0, int64_t g1) {
    avx512Like(weights, scales, layout, xq, xScales, y, g0, g1, Avx512Dot{});
}

void avx512VnniGroups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
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

// Rounds n values to int8 steps of (largest magnitude / 127); returns the step.
float quantizeBlock(const float* values, int64_t n, std::int8_t* q) {
    float largest = 0;
    for (int64_t e = 0; e < n; ++e)
        largest = std::max(largest, std::abs(values[e]));
    const float step = largest / 127.0f;
    for (int64_t e = 0; e < n; ++e)
        q[e] = step > 0 ? std::int8_t(std::lround(std::clamp(values[e] / step, -127.0f, 127.0f))) : 0;
    return step;
}

} // namespace

void quantizeInt8(const float* rowMajor, const Int8Layout& layout, std::int8_t* weights, float* scales,
                  int64_t groupBegin, int64_t groupEnd) {
    float block[kBlock];
    for (int64_t o = groupBegin * kRowsPerGroup; o < groupEnd * kRowsPerGroup; ++o)
        for (int64_t c = 0; c < layout.chunks(); ++c)
            for (int64_t b = 0; b < kBlocks; ++b) {
                const int64_t first = c * kChunk + b * kBlock;   // input index of the block's first weight
                for (int64_t e = 0; e < kBlock; ++e)
                    block[e] = o < layout.out && first + e < layout.in ? rowMajor[o * layout.in + first + e] : 0.0f;
                scales[scaleOffset(layout, o, c) + b] = quantizeBlock(block, kBlock, weights + weightOffset(layout, o, c) + b * kBlock);
            }
}

void dequantizeInt8(const std::int8_t* weights, const float* scales, const Int8Layout& layout, int64_t rowBegin,
                    int64_t rowEnd, float* out) {
    for (int64_t o = rowBegin; o < rowEnd; ++o)
        for (int64_t c = 0; c * kChunk < layout.in; ++c) {
            const std::int8_t* q = weights + weightOffset(layout, o, c);
            const float* step = scales + scaleOffset(layout, o, c);
            float* target = out + (o - rowBegin) * layout.in + c * kChunk;
            const int64_t n = std::min(kChunk, layout.in - c * kChunk);
            for (int64_t e = 0; e < n; ++e)
                target[e] = float(q[e]) * step[e / kBlock];
        }
}

void quantizeRows(const float* x, int64_t rows, const Int8Layout& layout, std::int8_t* q, float* scales) {
    const int64_t padded = layout.paddedIn(), blocks = padded / kBlock;
    float block[kBlock];
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t b = 0; b < blocks; ++b) {
            for (int64_t e = 0; e < kBlock; ++e)
                block[e] = b * kBlock + e < layout.in ? x[r * layout.in + b * kBlock + e] : 0.0f;
            scales[r * blocks + b] = quantizeBlock(block, kBlock, q + r * padded + b * kBlock);
        }
}

void int8RowProduct(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
                    const float* xScales, int64_t rows, float* y, int64_t groupBegin, int64_t groupEnd) {
    // One activation row per pass: products of two rows are rare (the decoder's first step of
    // a frame), and one row's accumulators leave AVX2's registers free for the loads.
    const GroupKernel kernel = chooseKernel();
    const int64_t padded = layout.paddedIn();
    for (int64_t r = 0; r < std::min<int64_t>(rows, kMaxRowsPerPass); ++r)
        kernel(weights, scales, layout, xq + r * padded, xScales + r * padded / kBlock, y + r * layout.out, groupBegin,
               groupEnd);
}

} // namespace echoforge::kernels
