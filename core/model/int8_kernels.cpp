#include "core/model/int8_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include <immintrin.h>

#include "core/model/quantized_rows.h"

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

// The AVX2 kernels ask for the weights 2 KB ahead of the chunk being multiplied, and for their
// scales: one frame of one-row products over CSM-1B's int8 shapes (5.12 GB, two threads, AMD
// EPYC, AVX2 kernels, each pair's order alternated, median of 30 pairs) took 0.862 and 0.880 as
// long with it. The AVX-512 kernels do not: there it took 1.034, 1.063 and (1 KB ahead) 1.024.
constexpr int64_t kPrefetchAheadBytes = 2048;

// Inlined by force: a void function of prefetches alone looks free of effects to GCC 12's
// interprocedural passes, which dropped every call to it in int8_kernels.cpp before it could be
// inlined (its tree dumps: present up to local-fnsummary2, gone from the next pass on).
[[gnu::always_inline]] inline void prefetchAhead(const std::int8_t* chunkWeights, const float* chunkScales, int64_t c) {
    const char* ahead = reinterpret_cast<const char*>(chunkWeights) + kPrefetchAheadBytes;
    _mm_prefetch(ahead, _MM_HINT_T0);   // a chunk is 256 bytes of weights: four lines
    _mm_prefetch(ahead + 64, _MM_HINT_T0);
    _mm_prefetch(ahead + 128, _MM_HINT_T0);
    _mm_prefetch(ahead + 192, _MM_HINT_T0);
    // and 32 bytes of scales: one line of them serves two chunks.
    if (c % 2 == 0)
        _mm_prefetch(reinterpret_cast<const char*>(chunkScales) + kPrefetchAheadBytes / 8, _MM_HINT_T0);
}

// One of the kernels: groups [g0, g1) against the activation rows x.
using GroupKernel = void (*)(const std::int8_t* weights, const float* scales, const Int8Layout& layout,
                             const QuantizedRows& x, float* y, int64_t g0, int64_t g1);

void scalarGroups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const QuantizedRows& x,
                  float* y, int64_t g0, int64_t g1) {
    for (int64_t r = 0; r < x.rows; ++r) {
        const std::int8_t* xq = x.q + r * x.qStride;
        const float* xScales = x.scales + r * x.scaleStride;
        for (int64_t o = g0 * kRowsPerGroup; o < std::min(layout.out, g1 * kRowsPerGroup); ++o) {
            float sum = 0;
            for (int64_t c = 0; c < layout.chunks(); ++c)
                for (int64_t b = 0; b < kBlocks; ++b) {
                    std::int32_t dot = 0;
                    for (int64_t e = 0; e < kBlock; ++e)
                        dot += std::int32_t(weights[weightOffset(layout, o, c) + b * kBlock + e]) * xq[c * kChunk + b * kBlock + e];
                    sum += float(dot) * scales[scaleOffset(layout, o, c) + b] * xScales[c * kBlocks + b];
                }
            y[r * layout.out + o] = sum;
        }
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
// A `Dot` gives Σ w·x of each four byte pairs as int32 lanes: `weights(w)` once per block of
// weights (shared by every activation row), then `dot(prepared, w, x)` per activation row.
//   Without VNNI, maddubs multiplies unsigned by signed bytes, so |w| meets x with w's sign, and
//   madd adds the pairs; no pair sum can saturate, since both stay within ±127. Exact as it is.
//   With VNNI, vpdpbusd does it in one instruction: the weights go in as w + 128 (w xor 0x80, now
//   unsigned), so the lanes are 128·Σx of their four inputs too large; the kernels take that off.
#pragma GCC push_options
#pragma GCC target("avx2,fma,avxvnni")

struct Avx2Dot {
    static constexpr bool kBiased = false;
    __m256i weights(__m256i w) const { return _mm256_sign_epi8(w, w); }
    __m256i dot(__m256i absW, __m256i w, __m256i x) const {
        return _mm256_madd_epi16(_mm256_maddubs_epi16(absW, _mm256_sign_epi8(x, w)), _mm256_set1_epi16(1));
    }
};
struct AvxVnniDot {
    static constexpr bool kBiased = true;
    __m256i weights(__m256i w) const { return _mm256_xor_si256(w, _mm256_set1_epi8(char(0x80))); }
    __m256i dot(__m256i biasedW, __m256i, __m256i x) const {
        return _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), biasedW, x);
    }
};

// Eight vectors of lane sums → one vector of their totals, in their order (as in q4_kernels.cpp).
inline __m256i totals(const __m256i (&d)[8]) {
    const __m256i a = _mm256_hadd_epi32(_mm256_hadd_epi32(d[0], d[1]), _mm256_hadd_epi32(d[2], d[3]));
    const __m256i b = _mm256_hadd_epi32(_mm256_hadd_epi32(d[4], d[5]), _mm256_hadd_epi32(d[6], d[7]));
    return _mm256_add_epi32(_mm256_blend_epi32(a, b, 0xf0), _mm256_permute2x128_si256(a, b, 0x21));
}

// The AVX2 kernel for R activation rows, built as the 4-bit one: a group's chunk is eight blocks
// of 32 weights (row k, block b), prepared once; each activation row takes eight byte dot
// products, reduces them to the eight block totals in the scales' order [row][block], and adds
// total · weight scale · its block scale with one FMA (lane 2k + b).
template <int R, typename Dot>
void avx2Like(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const QuantizedRows& x,
              float* y, int64_t g0, int64_t g1) {
    // From two rows on, VNNI's unsigned weights are transposed as the 4-bit kernel's are
    // (q4_kernels.cpp, kTransposeFromRows). Without VNNI the sign trick needs each weight's sign
    // beside its input, a second transpose: that stays with the reduction.
    constexpr bool kTransposed = Dot::kBiased && R >= 2;
    const Dot kernel;
    const int64_t chunks = layout.chunks();
    const ChunkRow* rows = interleaveRows(x, R, chunks, Dot::kBiased ? 128 : 0, kTransposed);
    for (int64_t g = g0; g < g1; ++g) {
        __m256 acc[R];
#pragma GCC unroll 16
        for (auto& a : acc)
            a = _mm256_setzero_ps();
        const std::int8_t* w = weights + g * chunks * kRowsPerGroup * kChunk;
        const float* s = scales + g * chunks * kRowsPerGroup * kBlocks;
        const ChunkRow* xc = rows;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kChunk, s += kRowsPerGroup * kBlocks, xc += R) {
            prefetchAhead(w, s, c);
            __m256i raw[kRowsPerGroup * kBlocks], prepared[kRowsPerGroup * kBlocks];   // [row k][block b]
#pragma GCC unroll 16
            for (int kb = 0; kb < kRowsPerGroup * kBlocks; ++kb) {
                raw[kb] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + kb * kBlock));
                prepared[kb] = kernel.weights(raw[kb]);
            }
            const __m256 weightScales = _mm256_loadu_ps(s);
            __m256i t[kRowsPerGroup * kBlocks];   // the transpose: weights 4i…4i+3 of each (k, b)
            if constexpr (kTransposed)
                transpose(prepared, t);
#pragma GCC unroll 16
            for (int r = 0; r < R; ++r) {
                const ChunkRow& row = xc[r];
                __m256i exact;   // the eight block totals, lane 2k + b
                if constexpr (!kTransposed) {
                    const __m256i xb[kBlocks] = {_mm256_load_si256(reinterpret_cast<const __m256i*>(row.x)),
                                                 _mm256_load_si256(reinterpret_cast<const __m256i*>(row.x + kBlock))};
                    __m256i d[kRowsPerGroup * kBlocks];
#pragma GCC unroll 16
                    for (int kb = 0; kb < kRowsPerGroup * kBlocks; ++kb)
                        d[kb] = kernel.dot(prepared[kb], raw[kb], xb[kb % kBlocks]);
                    exact = totals(d);
                } else {   // two chains of four vpdpbusd
                    __m256i even = _mm256_setzero_si256(), odd = _mm256_setzero_si256();
#pragma GCC unroll 16
                    for (int i = 0; i < 8; i += 2) {
                        std::int64_t pairs[2];
                        std::memcpy(pairs, row.pairs + 8 * i, sizeof pairs);
                        even = _mm256_dpbusd_avx_epi32(even, t[i], _mm256_set1_epi64x(pairs[0]));
                        odd = _mm256_dpbusd_avx_epi32(odd, t[i + 1], _mm256_set1_epi64x(pairs[1]));
                    }
                    exact = _mm256_add_epi32(even, odd);
                }
                if constexpr (Dot::kBiased) {   // (−128·Σx of block 0, of block 1) in every pair of lanes
                    std::int64_t biasPair;
                    std::memcpy(&biasPair, row.blockBias, sizeof biasPair);
                    exact = _mm256_add_epi32(exact, _mm256_set1_epi64x(biasPair));
                }
                const __m256 blockScales = _mm256_castpd_ps(_mm256_broadcast_sd(reinterpret_cast<const double*>(row.scales)));
                acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(exact), _mm256_mul_ps(weightScales, blockScales), acc[r]);
            }
        }
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r) {
            alignas(32) float lanes[8];
            _mm256_store_ps(lanes, acc[r]);
            for (int k = 0; k < kRowsPerGroup; ++k)
                if (g * kRowsPerGroup + k < layout.out)
                    y[r * layout.out + g * kRowsPerGroup + k] = lanes[2 * k] + lanes[2 * k + 1];
        }
    }
}

template <int R>
void avx2Groups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const QuantizedRows& x,
                float* y, int64_t g0, int64_t g1) {
    avx2Like<R, Avx2Dot>(weights, scales, layout, x, y, g0, g1);
}

template <int R>
void avxVnniGroups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const QuantizedRows& x,
                   float* y, int64_t g0, int64_t g1) {
    avx2Like<R, AvxVnniDot>(weights, scales, layout, x, y, g0, g1);
}

#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vnni")

// `dot(start, prepared, w, x)`: start + the four-byte dot products of w and x in each lane.
struct Avx512Dot {
    static constexpr bool kBiased = false;
    __m512i weights(__m512i w) const { return _mm512_abs_epi8(w); }
    __m512i dot(__m512i, __m512i absW, __m512i w, __m512i x) const {
        // AVX-512 has no byte sign instruction: negate x where w < 0.
        const __m512i xSigned = _mm512_mask_sub_epi8(x, _mm512_movepi8_mask(w), _mm512_setzero_si512(), x);
        return _mm512_madd_epi16(_mm512_maddubs_epi16(absW, xSigned), _mm512_set1_epi16(1));
    }
};
struct Avx512VnniDot {
    static constexpr bool kBiased = true;
    __m512i weights(__m512i w) const { return _mm512_xor_si512(w, _mm512_set1_epi8(char(0x80))); }
    __m512i dot(__m512i start, __m512i biasedW, __m512i, __m512i x) const { return _mm512_dpbusd_epi32(start, biasedW, x); }
};

// The fp32 permutation that puts scale [rowA][block] in lanes 0–7 and [rowB][block] in 8–15.
inline __m512i scaleIndex(int rowA, int rowB, int block) {
    return _mm512_mask_blend_epi32(__mmask16(0xff00), _mm512_set1_epi32(rowA * kBlocks + block),
                                   _mm512_set1_epi32(rowB * kBlocks + block));
}

// One row against four groups at once where the inputs are many (kInputsForFourGroups,
// quantized_rows.h). The row's chunk of x is loaded once and serves the four groups in turn;
// each group's weights are loaded, scaled and used at once, so that only one group is in
// registers. Each output row is made by avx512Like<1>'s instructions in its order. One thread
// (AMD EPYC, three alternating runs), [2048, 8192]: VNNI 11.9–20.5 → 24.4–25.4 GB/s, without
// VNNI 14.2–22.9 → 21.8–23.4; [8192, 2048] (one group) 21–25. With AVX2 the same loop was slower
// (its group's weights need twice the registers), so avx2Like keeps one group.
template <typename Dot>
void avx512OneRowFourGroups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const ChunkRow* row,
                            float* y, int64_t g, const __m512i (&index)[2][kBlocks]) {
    constexpr int kGroups = 4;
    const Dot kernel;
    const int64_t chunks = layout.chunks();
    const int64_t groupWeights = chunks * kRowsPerGroup * kChunk, groupScales = chunks * kRowsPerGroup * kBlocks;
    __m512 acc[kGroups][2];
    for (auto& group : acc)
        for (auto& a : group)
            a = _mm512_setzero_ps();
    const std::int8_t* w = weights + g * groupWeights;
    const float* s = scales + g * groupScales;
    for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kChunk, s += kRowsPerGroup * kBlocks, ++row) {
        __m512i xb[kBlocks], start[kBlocks];
        __m512 xScale[kBlocks];
#pragma GCC unroll 16
        for (int b = 0; b < kBlocks; ++b) {
            xb[b] = _mm512_broadcast_i64x4(_mm256_load_si256(reinterpret_cast<const __m256i*>(row->x + b * kBlock)));
            start[b] = Dot::kBiased ? _mm512_broadcast_i64x4(_mm256_load_si256(reinterpret_cast<const __m256i*>(row->starts + b * 8)))
                                    : _mm512_setzero_si512();
            xScale[b] = _mm512_set1_ps(row->scales[b]);
        }
#pragma GCC unroll 4
        for (int j = 0; j < kGroups; ++j) {
            const __m512 scaleValues = _mm512_castps256_ps512(_mm256_loadu_ps(s + j * groupScales));
#pragma GCC unroll 16
            for (int b = 0; b < kBlocks; ++b)
#pragma GCC unroll 16
                for (int h = 0; h < 2; ++h) {
                    const std::int8_t* first = w + j * groupWeights + 2 * h * kChunk + b * kBlock;
                    const __m512i raw = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(first))),
                                                           _mm256_loadu_si256(reinterpret_cast<const __m256i*>(first + kChunk)), 1);
                    const __m512 weightScale = _mm512_permutexvar_ps(index[h][b], scaleValues);
                    const __m512 d = _mm512_cvtepi32_ps(kernel.dot(start[b], kernel.weights(raw), raw, xb[b]));
                    acc[j][h] = _mm512_fmadd_ps(d, _mm512_mul_ps(weightScale, xScale[b]), acc[j][h]);
                }
        }
    }
    for (int j = 0; j < kGroups; ++j)
        for (int h = 0; h < 2; ++h)
            for (int half = 0; half < 2; ++half) {
                const int64_t o = (g + j) * kRowsPerGroup + 2 * h + half;
                if (o < layout.out) {
                    const __m256 lanes = half ? _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc[j][h]), 1))
                                              : _mm512_castps512_ps256(acc[j][h]);
                    y[o] = horizontalSum(lanes);
                }
            }
}

// The AVX-512 kernel for R activation rows, built as the 4-bit one (q4_kernels.cpp): each vector
// holds one block of two rows, (0, 1) or (2, 3), lanes 0–7 the first row's sums and 8–15 the
// second's, against that block of x in both halves. A group's chunk is prepared once (four
// vectors of weights, four of their scales in the matching lanes); each activation row then
// takes four dot products, four conversions, four scalings by its block scale and four FMAs.
template <int R, typename Dot>
void avx512Like(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const QuantizedRows& x,
                float* y, int64_t g0, int64_t g1) {
    const Dot kernel;
    const int64_t chunks = layout.chunks();
    const ChunkRow* rows = interleaveRows(x, R, chunks, Dot::kBiased ? 128 : 0);
    const __m512i index[2][kBlocks] = {{scaleIndex(0, 1, 0), scaleIndex(0, 1, 1)}, {scaleIndex(2, 3, 0), scaleIndex(2, 3, 1)}};
    int64_t g = g0;
    if constexpr (R == 1)
        if (layout.in >= kInputsForFourGroups)
            for (; g + 4 <= g1; g += 4)
                avx512OneRowFourGroups<Dot>(weights, scales, layout, rows, y, g, index);
    for (; g < g1; ++g) {
        __m512 acc[R][2];   // [activation row][rows (0, 1) | (2, 3)]
#pragma GCC unroll 16
        for (auto& row : acc)
#pragma GCC unroll 16
            for (auto& a : row)
                a = _mm512_setzero_ps();
        const std::int8_t* w = weights + g * chunks * kRowsPerGroup * kChunk;
        const float* s = scales + g * chunks * kRowsPerGroup * kBlocks;
        const ChunkRow* xc = rows;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kChunk, s += kRowsPerGroup * kBlocks, xc += R) {
            __m512i raw[2][kBlocks], prepared[2][kBlocks];
            __m512 weightScale[2][kBlocks];
            const __m512 scaleValues = _mm512_castps256_ps512(_mm256_loadu_ps(s));
#pragma GCC unroll 16
            for (int h = 0; h < 2; ++h)
#pragma GCC unroll 16
                for (int b = 0; b < kBlocks; ++b) {
                    const std::int8_t* first = w + 2 * h * kChunk + b * kBlock;   // row 2h, block b; row 2h + 1 is a chunk on
                    raw[h][b] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(first))),
                                                   _mm256_loadu_si256(reinterpret_cast<const __m256i*>(first + kChunk)), 1);
                    prepared[h][b] = kernel.weights(raw[h][b]);
                    weightScale[h][b] = _mm512_permutexvar_ps(index[h][b], scaleValues);
                }
#pragma GCC unroll 16
            for (int r = 0; r < R; ++r) {
                const ChunkRow& row = xc[r];
#pragma GCC unroll 16
                for (int b = 0; b < kBlocks; ++b) {
                    const __m512i xb = _mm512_broadcast_i64x4(_mm256_load_si256(reinterpret_cast<const __m256i*>(row.x + b * kBlock)));
                    const __m512i start = Dot::kBiased
                                              ? _mm512_broadcast_i64x4(_mm256_load_si256(reinterpret_cast<const __m256i*>(row.starts + b * 8)))
                                              : _mm512_setzero_si512();
                    const __m512 xScale = _mm512_set1_ps(row.scales[b]);
#pragma GCC unroll 16
                    for (int h = 0; h < 2; ++h) {
                        const __m512 d = _mm512_cvtepi32_ps(kernel.dot(start, prepared[h][b], raw[h][b], xb));
                        acc[r][h] = _mm512_fmadd_ps(d, _mm512_mul_ps(weightScale[h][b], xScale), acc[r][h]);
                    }
                }
            }
        }
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r)
            for (int h = 0; h < 2; ++h)
                for (int half = 0; half < 2; ++half) {
                    const int64_t o = g * kRowsPerGroup + 2 * h + half;
                    if (o < layout.out) {
                        const __m256 lanes = half ? _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc[r][h]), 1))
                                                  : _mm512_castps512_ps256(acc[r][h]);
                        y[r * layout.out + o] = horizontalSum(lanes);
                    }
                }
    }
}

template <int R>
void avx512Groups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const QuantizedRows& x,
                  float* y, int64_t g0, int64_t g1) {
    avx512Like<R, Avx512Dot>(weights, scales, layout, x, y, g0, g1);
}

template <int R>
void avx512VnniGroups(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const QuantizedRows& x,
                      float* y, int64_t g0, int64_t g1) {
    avx512Like<R, Avx512VnniDot>(weights, scales, layout, x, y, g0, g1);
}

#pragma GCC pop_options

// The kernel for this CPU and 1 ≤ rows ≤ kMaxQuantizedRowsPerPass activation rows.
GroupKernel chooseKernel(int64_t rows) {
    static_assert(kMaxQuantizedRowsPerPass == 8);
    const auto pick = [&](auto k1, auto k2, auto k3, auto k4, auto k5, auto k6, auto k7, auto k8) -> GroupKernel {
        const GroupKernel all[] = {k1, k2, k3, k4, k5, k6, k7, k8};
        return all[rows - 1];
    };
#define ECHOFORGE_BY_ROWS(kernel) pick(kernel<1>, kernel<2>, kernel<3>, kernel<4>, kernel<5>, kernel<6>, kernel<7>, kernel<8>)
    switch (activeIsa()) {
    case Isa::Avx512Vnni: return ECHOFORGE_BY_ROWS(avx512VnniGroups);
    case Isa::Avx512: return ECHOFORGE_BY_ROWS(avx512Groups);
    case Isa::AvxVnni: return ECHOFORGE_BY_ROWS(avxVnniGroups);
    case Isa::Avx2: return ECHOFORGE_BY_ROWS(avx2Groups);
    case Isa::Scalar: break;
    }
#undef ECHOFORGE_BY_ROWS
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

// quantizeBlock for a whole block of 32, eight values a vector, with the same bits: the same
// largest magnitude and division, and lround's rounding (half away from zero) done exactly as
// trunc(|t|) + (|t| − trunc(|t|) ≥ ½) with t's sign. Rounding the activations this way took
// ~4 ns an input with lround; a decoder step rounds ~45,000 per activation row.
__attribute__((target("avx2,fma"))) float quantizeFullBlock(const float* values, std::int8_t* q) {
    static_assert(kBlock == 32);
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    __m256 v[4], largest = _mm256_setzero_ps();
    for (int i = 0; i < 4; ++i) {
        v[i] = _mm256_loadu_ps(values + 8 * i);
        largest = _mm256_max_ps(_mm256_andnot_ps(signBit, v[i]), largest);   // a NaN input is passed over, as std::max does
    }
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(largest), _mm256_extractf128_ps(largest, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    const float step = _mm_cvtss_f32(m) / 127.0f;
    if (!(step > 0)) {
        std::fill_n(q, kBlock, std::int8_t(0));
        return step;
    }
    const __m256 divisor = _mm256_set1_ps(step), limit = _mm256_set1_ps(127.0f), half = _mm256_set1_ps(0.5f);
    __m256i whole[4];
    for (int i = 0; i < 4; ++i) {
        // std::clamp keeps a NaN (max/min return their second operand then), and lround's NaN becomes 0.
        const __m256 t = _mm256_min_ps(limit, _mm256_max_ps(_mm256_sub_ps(_mm256_setzero_ps(), limit), _mm256_div_ps(v[i], divisor)));
        const __m256 isNaN = _mm256_cmp_ps(t, t, _CMP_UNORD_Q);
        const __m256 magnitude = _mm256_andnot_ps(signBit, t);
        const __m256 truncated = _mm256_round_ps(magnitude, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
        const __m256 up = _mm256_and_ps(_mm256_cmp_ps(_mm256_sub_ps(magnitude, truncated), half, _CMP_GE_OQ), _mm256_set1_ps(1.0f));
        const __m256 rounded = _mm256_or_ps(_mm256_add_ps(truncated, up), _mm256_and_ps(signBit, t));
        whole[i] = _mm256_andnot_si256(_mm256_castps_si256(isNaN), _mm256_cvttps_epi32(rounded));
    }
    // int32 → int8 within each 128-bit half, then the halves' dwords back in order.
    const __m256i words = _mm256_packs_epi32(whole[0], whole[1]), words2 = _mm256_packs_epi32(whole[2], whole[3]);
    const __m256i bytes = _mm256_packs_epi16(words, words2);
    const __m256i ordered = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q), ordered);
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
    const int64_t padded = layout.paddedIn(), blocks = padded / kBlock, full = layout.in / kBlock;
    const bool vectors = activeIsa() != Isa::Scalar;
    float block[kBlock];
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t b = 0; b < blocks; ++b) {
            std::int8_t* target = q + r * padded + b * kBlock;
            if (vectors && b < full) {
                scales[r * blocks + b] = quantizeFullBlock(x + r * layout.in + b * kBlock, target);
                continue;
            }
            for (int64_t e = 0; e < kBlock; ++e)
                block[e] = b * kBlock + e < layout.in ? x[r * layout.in + b * kBlock + e] : 0.0f;
            scales[r * blocks + b] = quantizeBlock(block, kBlock, target);
        }
}

void int8RowProduct(const std::int8_t* weights, const float* scales, const Int8Layout& layout, const QuantizedRows& x,
                    float* y, int64_t groupBegin, int64_t groupEnd) {
    if (x.rows > 0 && groupBegin < groupEnd)
        chooseKernel(std::min<int64_t>(x.rows, kMaxQuantizedRowsPerPass))(weights, scales, layout, x, y, groupBegin, groupEnd);
}

} // namespace echoforge::kernels
