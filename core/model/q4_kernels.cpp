#include "core/model/q4_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include <immintrin.h>

#include "core/model/quantized_rows.h"

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

// Asks for the weights 2 KB ahead of the chunk being unpacked, and for their scales. Unpacking
// 4-bit weights keeps a core busy enough that the hardware prefetcher alone leaves it short of
// memory: one frame of one-row products over CSM-1B's 4-bit shapes (2.56 GB, two threads, AMD
// EPYC, static shares, each pair's order alternated, median of 40 pairs) took 0.934 and 0.934
// as long with this as without at 2 KB, 0.955 at 1 KB, 0.978 at 4 KB, and 0.938 with the AVX2
// kernel at 2 KB. A prefetch past the end of W is harmless: it never faults.
constexpr int64_t kPrefetchAheadBytes = 2048;

// Inlined by force: a void function of prefetches alone looks free of effects to GCC 12's
// interprocedural passes, which dropped every call to it in int8_kernels.cpp before it could be
// inlined (its tree dumps: present up to local-fnsummary2, gone from the next pass on).
[[gnu::always_inline]] inline void prefetchAhead(const std::uint8_t* chunkBytes, const std::uint16_t* chunkScales, int64_t c) {
    _mm_prefetch(reinterpret_cast<const char*>(chunkBytes + kPrefetchAheadBytes), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(chunkBytes + kPrefetchAheadBytes + 64), _MM_HINT_T0);
    // A chunk's 128 bytes of weights have 16 bytes of scales: one line of them serves four chunks.
    if (c % 4 == 0)
        _mm_prefetch(reinterpret_cast<const char*>(chunkScales) + kPrefetchAheadBytes / 8, _MM_HINT_T0);
}

inline float bf16Value(std::uint16_t bits) {
    const std::uint32_t word = std::uint32_t(bits) << 16;
    float value;
    std::memcpy(&value, &word, sizeof value);
    return value;
}

// One of the kernels: groups [g0, g1) against the activation rows x.
using GroupKernel = void (*)(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout,
                             const QuantizedRows& x, float* y, int64_t g0, int64_t g1);

void scalarGroups(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
                  float* y, int64_t g0, int64_t g1) {
    for (int64_t r = 0; r < x.rows; ++r) {
        const std::int8_t* xq = x.q + r * x.qStride;
        const float* xScales = x.scales + r * x.scaleStride;
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
#pragma GCC push_options
#pragma GCC target("avx2,fma,avxvnni")

// Lane j of the result: the sum of the four-byte dot products of unsigned q and signed x in lane j.
// maddubs pairs stay within int16: 2 · 15 · 127.
struct Avx2Dot {
    static constexpr bool kVnni = false;
    __m256i operator()(__m256i q, __m256i x) const {
        return _mm256_madd_epi16(_mm256_maddubs_epi16(q, x), _mm256_set1_epi16(1));
    }
};
struct AvxVnniDot {
    static constexpr bool kVnni = true;
    __m256i operator()(__m256i q, __m256i x) const { return _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), q, x); }
};

// Eight vectors of lane sums → one vector of their totals, in their order. vphaddd adds
// neighbours within each 128-bit half, so three rounds leave each total split across the halves.
inline __m256i totals(const __m256i (&d)[8]) {
    const __m256i a = _mm256_hadd_epi32(_mm256_hadd_epi32(d[0], d[1]), _mm256_hadd_epi32(d[2], d[3]));
    const __m256i b = _mm256_hadd_epi32(_mm256_hadd_epi32(d[4], d[5]), _mm256_hadd_epi32(d[6], d[7]));
    return _mm256_add_epi32(_mm256_blend_epi32(a, b, 0xf0), _mm256_permute2x128_si256(a, b, 0x21));
}

// Activation rows from which the AVX2 kernels transpose the unpacked chunk: lane j = (k, b) of
// vector i then holds weights 4i…4i+3 of block (k, b), so each row's eight block totals build up
// vertically from eight dot products with (inputs 4i…4i+3 of block 0, of block 1) broadcast, and
// no row pays for a reduction. The transpose (24 shuffles) is shared, so it pays from two rows on;
// the totals are exact integers either way, so a row's bits do not depend on it.
constexpr int kTransposeFromRows = 2;

// avx2Like's one-row loop over four groups at once (kInputsForFourGroups, quantized_rows.h): the
// row's chunk of x is loaded once and serves the four groups in turn, each unpacked, multiplied
// and added into its own accumulator by the same instructions, in the same order, as avx2Like<1>
// does. One thread (AMD EPYC, three alternating runs): [2048, 8192] 8.0–10.9 → 14.7–15.4 GB/s,
// [1024, 8192] 8.9–9.4 → 9.9–15.3, [8192, 2048] (one group, unchanged) 15–21. With AVX-VNNI's
// cheaper dot product the same loop gained nothing (13.4–15.9 against 13.6–18.6), so that kernel
// keeps one group. The AVX-512 kernel takes four groups in avx512GroupsAtOnce: [2048, 8192],
// [1024, 8192], [2048, 16384] 13.7–16.6 → 17.3–19.1 GB/s; with 1,024 or 2,048 inputs two or four
// groups made it slower (21 → 11–14 GB/s).
template <typename Dot>
void avx2OneRowFourGroups(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout,
                          const ChunkRow* row, float* y, int64_t g) {
    constexpr int kGroups = 4;
    const Dot dot;
    const int64_t chunks = layout.chunks();
    const int64_t groupBytes = chunks * kRowsPerGroup * kRowChunkBytes, groupScales = chunks * kRowsPerGroup * kBlocks;
    const __m256i low = _mm256_set1_epi8(0x0f);
    __m256 acc[kGroups] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    const std::uint8_t* w = weights + g * groupBytes;
    const std::uint16_t* s = scales + g * groupScales;
    for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kRowChunkBytes, s += kRowsPerGroup * kBlocks, ++row) {
        const __m256i x0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(row->x));
        const __m256i x1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(row->x + kBlock));
        std::int64_t biasPair;
        std::memcpy(&biasPair, row->blockBias, sizeof biasPair);
        const __m256 blockScales = _mm256_castpd_ps(_mm256_broadcast_sd(reinterpret_cast<const double*>(row->scales)));
#pragma GCC unroll 4
        for (int j = 0; j < kGroups; ++j) {
            prefetchAhead(w + j * groupBytes, s + j * groupScales, c);
            __m256i d[kRowsPerGroup * kBlocks];
#pragma GCC unroll 16
            for (int k = 0; k < kRowsPerGroup; ++k) {
                const __m256i packed = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + j * groupBytes + k * kRowChunkBytes));
                d[2 * k] = dot(_mm256_and_si256(packed, low), x0);
                d[2 * k + 1] = dot(_mm256_and_si256(_mm256_srli_epi16(packed, 4), low), x1);
            }
            const __m128i scaleBits = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + j * groupScales));
            const __m256 weightScales = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(scaleBits), 16));
            const __m256i exact = _mm256_add_epi32(totals(d), _mm256_set1_epi64x(biasPair));
            acc[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(exact), _mm256_mul_ps(weightScales, blockScales), acc[j]);
        }
    }
    for (int j = 0; j < kGroups; ++j) {
        alignas(32) float lanes[8];
        _mm256_store_ps(lanes, acc[j]);
        for (int k = 0; k < kRowsPerGroup; ++k)
            if ((g + j) * kRowsPerGroup + k < layout.out)
                y[(g + j) * kRowsPerGroup + k] = lanes[2 * k] + lanes[2 * k + 1];
    }
}

// The AVX2 kernel for R activation rows. A group's chunk is unpacked once: four row chunks of 32
// bytes → eight blocks of 32 byte-sized weights (k, b), and the eight bf16 scales [row][block] →
// one fp32 vector. Each activation row then takes eight byte dot products, reduces them to the
// eight block totals in the scales' order, and adds total · weight scale · its block scale with
// one FMA into its accumulator (lane 2k + b: row k of the group, block b).
template <int R, typename Dot>
void avx2Like(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
              float* y, int64_t g0, int64_t g1) {
    constexpr bool kTransposed = R >= kTransposeFromRows;
    const Dot dot;
    const int64_t chunks = layout.chunks();
    const ChunkRow* rows = interleaveRows(x, R, chunks, 8, kTransposed);   // the nibbles hold q + 8
    const __m256i low = _mm256_set1_epi8(0x0f);
    int64_t g = g0;
    if constexpr (R == 1 && !Dot::kVnni)
        if (layout.in >= kInputsForFourGroups)
            for (; g + 4 <= g1; g += 4)
                avx2OneRowFourGroups<Dot>(weights, scales, layout, rows, y, g);
    for (; g < g1; ++g) {
        __m256 acc[R];
#pragma GCC unroll 16
        for (auto& a : acc)
            a = _mm256_setzero_ps();
        const std::uint8_t* w = weights + g * chunks * kRowsPerGroup * kRowChunkBytes;
        const std::uint16_t* s = scales + g * chunks * kRowsPerGroup * kBlocks;
        const ChunkRow* xc = rows;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kRowChunkBytes, s += kRowsPerGroup * kBlocks, xc += R) {
            prefetchAhead(w, s, c);
            __m256i q[kRowsPerGroup * kBlocks];   // [row k][block b]
#pragma GCC unroll 16
            for (int k = 0; k < kRowsPerGroup; ++k) {
                const __m256i packed = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + k * kRowChunkBytes));
                q[2 * k] = _mm256_and_si256(packed, low);
                q[2 * k + 1] = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low);
            }
            const __m128i scaleBits = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
            const __m256 weightScales = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(scaleBits), 16));
            __m256i t[kRowsPerGroup * kBlocks];   // the transpose: weights 4i…4i+3 of each (k, b)
            if constexpr (kTransposed)
                transpose(q, t);
#pragma GCC unroll 16
            for (int r = 0; r < R; ++r) {
                const ChunkRow& row = xc[r];
                __m256i sums;   // the eight block totals of Σ (q + 8)·x, lane 2k + b
                if constexpr (!kTransposed) {
                    const __m256i x0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(row.x));
                    const __m256i x1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(row.x + kBlock));
                    __m256i d[kRowsPerGroup * kBlocks];
#pragma GCC unroll 16
                    for (int k = 0; k < kRowsPerGroup; ++k) {
                        d[2 * k] = dot(q[2 * k], x0);
                        d[2 * k + 1] = dot(q[2 * k + 1], x1);
                    }
                    sums = totals(d);
                } else {
                    const auto pair = [&](int i) {
                        std::int64_t bits;
                        std::memcpy(&bits, row.pairs + 8 * i, sizeof bits);
                        return _mm256_set1_epi64x(bits);
                    };
                    if constexpr (Dot::kVnni) {   // two chains of four
                        __m256i even = _mm256_setzero_si256(), odd = _mm256_setzero_si256();
#pragma GCC unroll 16
                        for (int i = 0; i < 8; i += 2) {
                            even = _mm256_dpbusd_avx_epi32(even, t[i], pair(i));
                            odd = _mm256_dpbusd_avx_epi32(odd, t[i + 1], pair(i + 1));
                        }
                        sums = _mm256_add_epi32(even, odd);
                    } else {   // int16 sums of 16 products stay within 16 · 15 · 127 = 30480
                        __m256i even = _mm256_maddubs_epi16(t[0], pair(0)), odd = _mm256_maddubs_epi16(t[1], pair(1));
#pragma GCC unroll 16
                        for (int i = 2; i < 8; i += 2) {
                            even = _mm256_add_epi16(even, _mm256_maddubs_epi16(t[i], pair(i)));
                            odd = _mm256_add_epi16(odd, _mm256_maddubs_epi16(t[i + 1], pair(i + 1)));
                        }
                        sums = _mm256_madd_epi16(_mm256_add_epi16(even, odd), _mm256_set1_epi16(1));
                    }
                }
                // (−8·Σx of block 0, of block 1) in every pair of lanes, and likewise the block scales.
                std::int64_t biasPair;
                std::memcpy(&biasPair, row.blockBias, sizeof biasPair);
                const __m256i exact = _mm256_add_epi32(sums, _mm256_set1_epi64x(biasPair));
                const __m256 blockScales = _mm256_castpd_ps(_mm256_broadcast_sd(reinterpret_cast<const double*>(row.scales)));
                acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(exact), _mm256_mul_ps(weightScales, blockScales), acc[r]);
            }
        }
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r) {
            alignas(32) float lanes[8];
            _mm256_store_ps(lanes, acc[r]);
#pragma GCC unroll 16
            for (int k = 0; k < kRowsPerGroup; ++k)
                if (g * kRowsPerGroup + k < layout.out)
                    y[r * layout.out + g * kRowsPerGroup + k] = lanes[2 * k] + lanes[2 * k + 1];
        }
    }
}

template <int R>
void avx2Groups(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
                float* y, int64_t g0, int64_t g1) {
    avx2Like<R, Avx2Dot>(weights, scales, layout, x, y, g0, g1);
}

template <int R>
void avxVnniGroups(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout,
                   const QuantizedRows& x, float* y, int64_t g0, int64_t g1) {
    avx2Like<R, AvxVnniDot>(weights, scales, layout, x, y, g0, g1);
}

#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vnni")

// `dot(start, q, x)` adds the four-byte dot products of unsigned q and signed x to start's lanes.
struct Avx512Dot {
    __m512i operator()(__m512i start, __m512i q, __m512i x) const {
        return _mm512_add_epi32(start, _mm512_madd_epi16(_mm512_maddubs_epi16(q, x), _mm512_set1_epi16(1)));
    }
};
struct Avx512VnniDot {
    __m512i operator()(__m512i start, __m512i q, __m512i x) const { return _mm512_dpbusd_epi32(start, q, x); }
};

// The word permutation that puts scale [rowA][block] in the high halves of lanes 0–7 and
// [rowB][block] in those of lanes 8–15 (the low halves are masked to zero).
inline __m512i scaleIndex(int rowA, int rowB, int block) {
    return _mm512_mask_blend_epi32(__mmask16(0xff00), _mm512_set1_epi32((rowA * kBlocks + block) << 16),
                                   _mm512_set1_epi32((rowB * kBlocks + block) << 16));
}

// The AVX-512 kernel for R activation rows and G groups at once. A group's chunk is two 64-byte
// loads, rows (0, 1) and (2, 3); a mask and a shift give four vectors of bytes: block 0 of both
// rows, block 1 of both rows. Each is multiplied with its block of x in both halves (lanes 0–7
// the first row's sums, 8–15 the second's), so a whole chunk of both rows is two vpdpbusd. The
// eight bf16 scales land in the matching lanes as fp32 by one masked word permutation each (a
// bf16 is the high half of an fp32). Per activation row and chunk: four dot products, four
// conversions, four scalings by the block scale and four FMAs; nothing scalar. Each output row's
// sum is made by the same instructions in the same order whatever G and R are.
template <int R, int G, typename Dot>
inline void avx512GroupsAtOnce(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout,
                               const ChunkRow* rows, float* y, int64_t g, const __m512i (&index)[2][kBlocks]) {
    const Dot dot;
    const int64_t chunks = layout.chunks();
    const __m512i low = _mm512_set1_epi8(0x0f);
    // Word 2i + 1 of lane i (its fp32's high half) ← scale [row][block]; the even words are zero.
    const __mmask32 highWords = 0xaaaaaaaau;
    __m512 acc[G][R][2];   // [group][activation row][rows (0, 1) | (2, 3)]
#pragma GCC unroll 16
    for (auto& group : acc)
#pragma GCC unroll 16
        for (auto& row : group)
#pragma GCC unroll 16
            for (auto& a : row)
                a = _mm512_setzero_ps();
    const int64_t groupBytes = chunks * kRowsPerGroup * kRowChunkBytes, groupScales = chunks * kRowsPerGroup * kBlocks;
    const std::uint8_t* w = weights + g * groupBytes;
    const std::uint16_t* s = scales + g * groupScales;
    const ChunkRow* xc = rows;
    for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kRowChunkBytes, s += kRowsPerGroup * kBlocks, xc += R) {
#pragma GCC unroll 16
        for (int j = 0; j < G; ++j)
            prefetchAhead(w + j * groupBytes, s + j * groupScales, c);
        __m512i q[G][2][kBlocks];
        __m512 weightScale[G][2][kBlocks];
#pragma GCC unroll 16
        for (int j = 0; j < G; ++j) {
            const __m512i scaleBits = _mm512_castsi128_si512(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + j * groupScales)));
#pragma GCC unroll 16
            for (int h = 0; h < 2; ++h) {
                const __m512i packed = _mm512_loadu_si512(w + j * groupBytes + h * 2 * kRowChunkBytes);
                q[j][h][0] = _mm512_and_si512(packed, low);
                q[j][h][1] = _mm512_and_si512(_mm512_srli_epi16(packed, 4), low);
#pragma GCC unroll 16
                for (int b = 0; b < kBlocks; ++b)
                    weightScale[j][h][b] = _mm512_castsi512_ps(_mm512_maskz_permutexvar_epi16(highWords, index[h][b], scaleBits));
            }
        }
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r) {
            const ChunkRow& row = xc[r];
#pragma GCC unroll 16
            for (int b = 0; b < kBlocks; ++b) {
                const __m512i xb = _mm512_broadcast_i64x4(_mm256_load_si256(reinterpret_cast<const __m256i*>(row.x + b * kBlock)));
                const __m512i startB = _mm512_broadcast_i64x4(_mm256_load_si256(reinterpret_cast<const __m256i*>(row.starts + b * 8)));
                const __m512 xScale = _mm512_set1_ps(row.scales[b]);
#pragma GCC unroll 16
                for (int j = 0; j < G; ++j)
#pragma GCC unroll 16
                    for (int h = 0; h < 2; ++h) {
                        const __m512 d = _mm512_cvtepi32_ps(dot(startB, q[j][h][b], xb));
                        acc[j][r][h] = _mm512_fmadd_ps(d, _mm512_mul_ps(weightScale[j][h][b], xScale), acc[j][r][h]);
                    }
            }
        }
    }
#pragma GCC unroll 16
    for (int j = 0; j < G; ++j)
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r)
#pragma GCC unroll 16
            for (int h = 0; h < 2; ++h)
#pragma GCC unroll 16
                for (int half = 0; half < 2; ++half) {
                    const int64_t o = (g + j) * kRowsPerGroup + 2 * h + half;
                    if (o < layout.out) {
                        const __m256 lanes = half ? _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc[j][r][h]), 1)) : _mm512_castps512_ps256(acc[j][r][h]);
                        y[r * layout.out + o] = horizontalSum(lanes);
                    }
                }
}

template <int R, typename Dot>
void avx512Like(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
                float* y, int64_t g0, int64_t g1) {
    const ChunkRow* rows = interleaveRows(x, R, layout.chunks(), 8);   // the nibbles hold q + 8: each dot starts at −8·Σx
    const __m512i index[2][kBlocks] = {{scaleIndex(0, 1, 0), scaleIndex(0, 1, 1)}, {scaleIndex(2, 3, 0), scaleIndex(2, 3, 1)}};
    int64_t g = g0;
    if constexpr (R == 1)
        if (layout.in >= kInputsForFourGroups)
            for (; g + 4 <= g1; g += 4)
                avx512GroupsAtOnce<R, 4, Dot>(weights, scales, layout, rows, y, g, index);
    for (; g < g1; ++g)
        avx512GroupsAtOnce<R, 1, Dot>(weights, scales, layout, rows, y, g, index);
}

template <int R>
void avx512Groups(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout,
                  const QuantizedRows& x, float* y, int64_t g0, int64_t g1) {
    avx512Like<R, Avx512Dot>(weights, scales, layout, x, y, g0, g1);
}

template <int R>
void avx512VnniGroups(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout,
                      const QuantizedRows& x, float* y, int64_t g0, int64_t g1) {
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

void q4RowProduct(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
                  float* y, int64_t groupBegin, int64_t groupEnd) {
    if (x.rows > 0 && groupBegin < groupEnd)
        chooseKernel(std::min<int64_t>(x.rows, kMaxQuantizedRowsPerPass))(weights, scales, layout, x, y, groupBegin, groupEnd);
}

} // namespace echoforge::kernels
