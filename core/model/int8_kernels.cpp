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

#pragma GCC push_options
#pragma GCC target("avx2,fma")

inline float horizontalSum(__m256 v) {
    const __m128 quad = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 pair = _mm_add_ps(quad, _mm_movehl_ps(quad, quad));
    return _mm_cvtss_f32(_mm_add_ss(pair, _mm_movehdup_ps(pair)));
}

// Σ w·x over 32 int8 pairs, as 8 int32 lanes. maddubs multiplies unsigned by signed bytes, so
// |w| meets x with w's sign; no pair sum can saturate, since both stay within ±127.
inline __m256i blockDot(__m256i w, __m256i x) {
    const __m256i pairs = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
    return _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
}

void avx2Groups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
                const float* xScales, float* y, int64_t g0, int64_t g1) {
    const int64_t chunks = layout.chunks();
    for (int64_t g = g0; g < g1; ++g) {
        __m256 acc[kRowsPerGroup];
        for (auto& a : acc)
            a = _mm256_setzero_ps();
        const std::int8_t* w = weights + g * chunks * kRowsPerGroup * kChunk;
        const float* s = scales + g * chunks * kRowsPerGroup * kBlocks;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kChunk, s += kRowsPerGroup * kBlocks)
            for (int64_t b = 0; b < kBlocks; ++b) {
                const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq + c * kChunk + b * kBlock));
                const float xScale = xScales[c * kBlocks + b];
                for (int k = 0; k < kRowsPerGroup; ++k) {
                    const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + k * kChunk + b * kBlock));
                    const __m256 dot = _mm256_cvtepi32_ps(blockDot(block, x));
                    acc[k] = _mm256_fmadd_ps(dot, _mm256_set1_ps(s[k * kBlocks + b] * xScale), acc[k]);
                }
            }
        for (int k = 0; k < kRowsPerGroup; ++k)
            if (g * kRowsPerGroup + k < layout.out)
                y[g * kRowsPerGroup + k] = horizontalSum(acc[k]);
    }
}

#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw")

// The two blocks' scales, in the lanes that hold their sums.
inline __m512 perBlock(const float* scales) {
    return _mm512_mask_blend_ps(__mmask16(0xff00), _mm512_set1_ps(scales[0]), _mm512_set1_ps(scales[1]));
}

// A whole chunk at once: lanes 0–7 hold the first block's sums, lanes 8–15 the second's.
void avx512Groups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const std::int8_t* xq,
                  const float* xScales, float* y, int64_t g0, int64_t g1) {
    const int64_t chunks = layout.chunks();
    const __m512i ones = _mm512_set1_epi16(1);
    for (int64_t g = g0; g < g1; ++g) {
        __m512 acc[kRowsPerGroup];
        for (auto& a : acc)
            a = _mm512_setzero_ps();
        const std::int8_t* w = weights + g * chunks * kRowsPerGroup * kChunk;
        const float* s = scales + g * chunks * kRowsPerGroup * kBlocks;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kChunk, s += kRowsPerGroup * kBlocks) {
            const __m512i x = _mm512_loadu_si512(xq + c * kChunk);
            const __m512 xScale = perBlock(xScales + c * kBlocks);
            for (int k = 0; k < kRowsPerGroup; ++k) {
                const __m512i block = _mm512_loadu_si512(w + k * kChunk);
                // AVX-512 has no byte sign instruction: negate x where w < 0, and take |w|.
                const __mmask64 wNegative = _mm512_movepi8_mask(block);   // the sign bits
                const __m512i xSigned = _mm512_mask_sub_epi8(x, wNegative, _mm512_setzero_si512(), x);
                const __m512i pairs = _mm512_maddubs_epi16(_mm512_abs_epi8(block), xSigned);
                const __m512 dot = _mm512_cvtepi32_ps(_mm512_madd_epi16(pairs, ones));
                const __m512 scale = perBlock(s + k * kBlocks);
                acc[k] = _mm512_fmadd_ps(dot, _mm512_mul_ps(scale, xScale), acc[k]);
            }
        }
        for (int k = 0; k < kRowsPerGroup; ++k)
            if (g * kRowsPerGroup + k < layout.out)
                y[g * kRowsPerGroup + k] = _mm512_reduce_add_ps(acc[k]);
    }
}

#pragma GCC pop_options

GroupKernel chooseKernel() {
    switch (activeIsa()) {
    case Isa::Avx512: return avx512Groups;
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
