#include "core/model/q4_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include <immintrin.h>

namespace echoforge::kernels {

namespace {

constexpr int64_t kBlock = Q4Layout::kBlock;
constexpr int64_t kTileRows = Q4Layout::kTileRows;
constexpr int64_t kBlockBytes = Q4Layout::kBlockBytes;   // one block of a tile's 16 rows
constexpr int64_t kGroupsPerTile = kTileRows / kRowsPerGroup;

// Where weight e (0–31) of a block sits among the block's four 64-byte vectors: vector e / 8,
// byte 4·(row in the tile) + e % 4, the high nibble for e % 8 ≥ 4.
inline int64_t byteOf(int64_t rowInTile, int64_t e) { return e / 8 * 64 + 4 * rowInTile + e % 4; }
inline bool highNibble(int64_t e) { return e % 8 >= 4; }

inline float bf16Value(std::uint16_t bits) {
    const std::uint32_t word = std::uint32_t(bits) << 16;
    float value;
    std::memcpy(&value, &word, sizeof value);
    return value;
}

// Asks for the weights 2 KB ahead of the block being multiplied, and for their scales. Unpacking
// 4-bit weights keeps a core busy enough that the hardware prefetcher alone leaves it short of
// memory: one frame of one-row products over CSM-1B's 4-bit shapes (2.56 GB, two threads, AMD
// EPYC, each pair's order alternated, median of 40 pairs) took 0.934 and 0.934 as long with this
// as without at 2 KB, 0.955 at 1 KB, 0.978 at 4 KB, and 0.938 with the AVX2 kernel at 2 KB.
// A prefetch past the end of W is harmless: it never faults. Inlined by force: a void function
// of prefetches alone looks free of effects to GCC 12's interprocedural passes, which dropped
// every call to such a helper in int8_kernels.cpp before it could be inlined.
constexpr int64_t kPrefetchAheadBytes = 2048;

[[gnu::always_inline]] inline void prefetchAhead(const std::uint8_t* blockBytes, const std::uint16_t* blockScales, int64_t b) {
    const char* ahead = reinterpret_cast<const char*>(blockBytes) + kPrefetchAheadBytes;
    _mm_prefetch(ahead, _MM_HINT_T0);   // a block of a tile is 256 bytes: four lines
    _mm_prefetch(ahead + 64, _MM_HINT_T0);
    _mm_prefetch(ahead + 128, _MM_HINT_T0);
    _mm_prefetch(ahead + 192, _MM_HINT_T0);
    if (b % 2 == 0)   // and 32 bytes of scales: one line serves two blocks
        _mm_prefetch(reinterpret_cast<const char*>(blockScales) + kPrefetchAheadBytes / 8, _MM_HINT_T0);
}

// What every kernel needs of the activation rows besides x.q and x.scales: −8·Σx of each block
// (the nibbles hold q + 8), [row][block], in this thread's buffer until its next call.
const std::int32_t* blockBiases(const QuantizedRows& x, int64_t blocks) {
    thread_local std::vector<std::int32_t> buffer;
    buffer.resize(std::size_t(x.rows * blocks));
    for (int64_t r = 0; r < x.rows; ++r)
        for (int64_t b = 0; b < blocks; ++b) {
            const std::int8_t* q = x.q + r * x.qStride + b * kBlock;
            std::int32_t sum = 0;
            for (int64_t e = 0; e < kBlock; ++e)
                sum += q[e];
            buffer[std::size_t(r * blocks + b)] = -8 * sum;
        }
    return buffer.data();
}

// Four inputs of a block as one 32-bit word, for a broadcast.
inline std::int32_t fourInputs(const std::int8_t* at) {
    std::int32_t word;
    std::memcpy(&word, at, sizeof word);
    return word;
}

// The rows of tile t that groups [g0, g1) own and that exist: [first, last).
inline void ownedRows(const Q4Layout& layout, int64_t t, int64_t g0, int64_t g1, int64_t& first, int64_t& last) {
    first = std::max(t * kTileRows, g0 * kRowsPerGroup);
    last = std::min({(t + 1) * kTileRows, g1 * kRowsPerGroup, layout.out});
}

// One of the kernels: groups [g0, g1) against the activation rows x. A range that splits a tile
// computes the whole tile and writes its own rows only.
using GroupKernel = void (*)(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout,
                             const QuantizedRows& x, float* y, int64_t g0, int64_t g1);

void scalarGroups(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
                  float* y, int64_t g0, int64_t g1) {
    const int64_t blocks = layout.blocks();
    for (int64_t r = 0; r < x.rows; ++r) {
        const std::int8_t* xq = x.q + r * x.qStride;
        const float* xScales = x.scales + r * x.scaleStride;
        for (int64_t o = g0 * kRowsPerGroup; o < std::min(layout.out, g1 * kRowsPerGroup); ++o) {
            const int64_t t = o / kTileRows, l = o % kTileRows;
            float sum = 0;
            for (int64_t b = 0; b < blocks; ++b) {
                const std::uint8_t* bytes = weights + (t * blocks + b) * kBlockBytes;
                std::int32_t dot = 0;
                for (int64_t e = 0; e < kBlock; ++e) {
                    const std::uint8_t byte = bytes[byteOf(l, e)];
                    dot += ((highNibble(e) ? byte >> 4 : byte & 0x0f) - 8) * xq[b * kBlock + e];
                }
                sum += float(dot) * bf16Value(scales[(t * blocks + b) * kTileRows + l]) * xScales[b];
            }
            y[r * layout.out + o] = sum;
        }
    }
}

// Each kernel is written once for a CPU with and without VNNI; the region is compiled for the
// former, and the variant without VNNI uses no VNNI intrinsic (the compiler makes none of its own
// from intrinsic code: maddubs saturates, vpdpbusd does not).
#pragma GCC push_options
#pragma GCC target("avx2,fma,avxvnni")

// start + the four-byte dot products of unsigned q and signed x, lane by lane. maddubs pairs stay
// within int16: 2 · 15 · 127.
struct Avx2Dot {
    __m256i operator()(__m256i start, __m256i q, __m256i x) const {
        return _mm256_add_epi32(start, _mm256_madd_epi16(_mm256_maddubs_epi16(q, x), _mm256_set1_epi16(1)));
    }
};
struct AvxVnniDot {
    __m256i operator()(__m256i start, __m256i q, __m256i x) const { return _mm256_dpbusd_avx_epi32(start, q, x); }
};

// The AVX2 kernel for R activation rows: a tile as two halves of eight rows, each the 32-byte
// halves of the tile's vectors. Per block and row: eight dot products (each lane one row's four
// weights against the same four inputs, broadcast), so a lane holds its row's whole block; then
// one conversion, one product with the scales and one FMA for the eight rows. Each row's sum is
// made by the same instructions in the same order whatever R is.
template <int R, typename Dot>
void avx2Like(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
              float* y, int64_t g0, int64_t g1) {
    // Halves taken in one pass over the tile's blocks: both for one or two rows (each 64-byte
    // line read once), one at a time for more, whose sums and accumulators would not fit the 16
    // registers twice over. The halves are separate rows, so each row's bits are the same.
    constexpr int kHalves = R <= 2 ? 2 : 1;
    const Dot dot;
    const int64_t blocks = layout.blocks();
    const std::int32_t* bias = blockBiases(x, blocks);
    const __m256i low = _mm256_set1_epi8(0x0f);
    for (int64_t t = g0 / kGroupsPerTile; t * kGroupsPerTile < g1; ++t) {
        int64_t first, last;
        ownedRows(layout, t, g0, g1, first, last);
        for (int64_t pass = 0; pass < 2; pass += kHalves) {
            const int64_t rowBase = t * kTileRows + 8 * pass;
            if (rowBase + 8 * kHalves <= first || rowBase >= last)
                continue;
            __m256 acc[kHalves][R];
#pragma GCC unroll 16
            for (auto& half : acc)
#pragma GCC unroll 16
                for (auto& a : half)
                    a = _mm256_setzero_ps();
            const std::uint8_t* w = weights + t * blocks * kBlockBytes + 32 * pass;
            const std::uint16_t* s = scales + t * blocks * kTileRows + 8 * pass;
            for (int64_t b = 0; b < blocks; ++b, w += kBlockBytes, s += kTileRows) {
                prefetchAhead(w, s, b);
                __m256i sums[kHalves][R];
#pragma GCC unroll 16
                for (int r = 0; r < R; ++r)
#pragma GCC unroll 2
                    for (int h = 0; h < kHalves; ++h)
                        sums[h][r] = _mm256_set1_epi32(bias[r * blocks + b]);
#pragma GCC unroll 4
                for (int v = 0; v < 4; ++v)
#pragma GCC unroll 2
                    for (int h = 0; h < kHalves; ++h) {
                        const __m256i packed = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 64 * v + 32 * h));
                        const __m256i lowQ = _mm256_and_si256(packed, low);
                        const __m256i highQ = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low);
#pragma GCC unroll 16
                        for (int r = 0; r < R; ++r) {
                            const std::int8_t* xq = x.q + r * x.qStride + b * kBlock + 8 * v;
                            sums[h][r] = dot(sums[h][r], lowQ, _mm256_set1_epi32(fourInputs(xq)));
                            sums[h][r] = dot(sums[h][r], highQ, _mm256_set1_epi32(fourInputs(xq + 4)));
                        }
                    }
#pragma GCC unroll 2
                for (int h = 0; h < kHalves; ++h) {
                    const __m128i scaleBits = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 8 * h));
                    const __m256 weightScales = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(scaleBits), 16));
#pragma GCC unroll 16
                    for (int r = 0; r < R; ++r)
                        acc[h][r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums[h][r]),
                                                    _mm256_mul_ps(weightScales, _mm256_set1_ps(x.scales[r * x.scaleStride + b])),
                                                    acc[h][r]);
                }
            }
            for (int h = 0; h < kHalves; ++h)
                for (int r = 0; r < R; ++r) {
                    alignas(32) float lanes[8];
                    _mm256_store_ps(lanes, acc[h][r]);
                    const int64_t halfBase = rowBase + 8 * h;
                    for (int64_t o = std::max(first, halfBase); o < std::min(last, halfBase + 8); ++o)
                        y[r * layout.out + o] = lanes[o - halfBase];
                }
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

struct Avx512Dot {
    __m512i operator()(__m512i start, __m512i q, __m512i x) const {
        return _mm512_add_epi32(start, _mm512_madd_epi16(_mm512_maddubs_epi16(q, x), _mm512_set1_epi16(1)));
    }
};
struct Avx512VnniDot {
    __m512i operator()(__m512i start, __m512i q, __m512i x) const { return _mm512_dpbusd_epi32(start, q, x); }
};

// The AVX-512 kernel for R activation rows: as avx2Like with a whole tile of 16 rows per vector.
// With one row the low and high nibbles sum in two chains, so that the dot products' latency
// overlaps; integer sums are exact, so the result is the same bits as one chain.
template <int R, typename Dot>
void avx512Like(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
                float* y, int64_t g0, int64_t g1) {
    const Dot dot;
    const int64_t blocks = layout.blocks();
    const std::int32_t* bias = blockBiases(x, blocks);
    const __m512i low = _mm512_set1_epi8(0x0f);
    for (int64_t t = g0 / kGroupsPerTile; t * kGroupsPerTile < g1; ++t) {
        int64_t first, last;
        ownedRows(layout, t, g0, g1, first, last);
        __m512 acc[R];
#pragma GCC unroll 16
        for (auto& a : acc)
            a = _mm512_setzero_ps();
        const std::uint8_t* w = weights + t * blocks * kBlockBytes;
        const std::uint16_t* s = scales + t * blocks * kTileRows;
        for (int64_t b = 0; b < blocks; ++b, w += kBlockBytes, s += kTileRows) {
            prefetchAhead(w, s, b);
            __m512i sums[R], highSums = _mm512_setzero_si512();
#pragma GCC unroll 16
            for (int r = 0; r < R; ++r)
                sums[r] = _mm512_set1_epi32(bias[r * blocks + b]);
#pragma GCC unroll 4
            for (int v = 0; v < 4; ++v) {
                const __m512i packed = _mm512_loadu_si512(w + 64 * v);
                const __m512i lowQ = _mm512_and_si512(packed, low);
                const __m512i highQ = _mm512_and_si512(_mm512_srli_epi16(packed, 4), low);
#pragma GCC unroll 16
                for (int r = 0; r < R; ++r) {
                    const std::int8_t* xq = x.q + r * x.qStride + b * kBlock + 8 * v;
                    sums[r] = dot(sums[r], lowQ, _mm512_set1_epi32(fourInputs(xq)));
                    if constexpr (R == 1)
                        highSums = dot(highSums, highQ, _mm512_set1_epi32(fourInputs(xq + 4)));
                    else
                        sums[r] = dot(sums[r], highQ, _mm512_set1_epi32(fourInputs(xq + 4)));
                }
            }
            if constexpr (R == 1)
                sums[0] = _mm512_add_epi32(sums[0], highSums);
            const __m256i scaleBits = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s));
            const __m512 weightScales = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(scaleBits), 16));
#pragma GCC unroll 16
            for (int r = 0; r < R; ++r)
                acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums[r]),
                                         _mm512_mul_ps(weightScales, _mm512_set1_ps(x.scales[r * x.scaleStride + b])), acc[r]);
        }
        for (int r = 0; r < R; ++r) {
            alignas(64) float lanes[kTileRows];
            _mm512_store_ps(lanes, acc[r]);
            for (int64_t o = first; o < last; ++o)
                y[r * layout.out + o] = lanes[o - t * kTileRows];
        }
    }
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
    const int64_t blocks = layout.blocks();
    // The last group also writes its tile's rows past the last group (zero weights and scales).
    const int64_t rowEnd = groupEnd == layout.groups() ? layout.tiles() * kTileRows : groupEnd * kRowsPerGroup;
    for (int64_t o = groupBegin * kRowsPerGroup; o < rowEnd; ++o) {
        const int64_t t = o / kTileRows, l = o % kTileRows;
        for (int64_t b = 0; b < blocks; ++b) {
            std::uint8_t* bytes = weights + (t * blocks + b) * kBlockBytes;
            const int64_t first = b * kBlock;   // input index of the block's first weight
            const int64_t n = o < layout.out ? std::clamp<int64_t>(layout.in - first, 0, kBlock) : 0;
            const float* row = rowMajor + o * layout.in + first;
            float largest = 0;
            for (int64_t e = 0; e < n; ++e)
                largest = std::max(largest, std::abs(row[e]));
            // The scale is rounded to bf16 first, so the stored weights are exactly q · scale.
            const std::uint16_t scaleBits = roundToBf16(largest / 7.0f);
            scales[(t * blocks + b) * kTileRows + l] = scaleBits;
            const float step = bf16Value(scaleBits);
            int nibbles[kBlock];
            for (int64_t e = 0; e < kBlock; ++e)
                nibbles[e] = 8 + (e < n && step > 0 ? int(std::lround(std::clamp(row[e] / step, -8.0f, 7.0f))) : 0);
            for (int64_t e = 0; e < kBlock; ++e)
                if (!highNibble(e))   // each byte whole, with its high partner: threads write disjoint bytes
                    bytes[byteOf(l, e)] = std::uint8_t(nibbles[e] | nibbles[e + 4] << 4);
        }
    }
}

void dequantizeQ4(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, int64_t rowBegin,
                  int64_t rowEnd, float* out) {
    const int64_t blocks = layout.blocks();
    for (int64_t o = rowBegin; o < rowEnd; ++o)
        for (int64_t i = 0; i < layout.in; ++i) {
            const int64_t t = o / kTileRows, l = o % kTileRows, b = i / kBlock, e = i % kBlock;
            const std::uint8_t byte = weights[(t * blocks + b) * kBlockBytes + byteOf(l, e)];
            const int q = (highNibble(e) ? byte >> 4 : byte & 0x0f) - 8;
            out[(o - rowBegin) * layout.in + i] = float(q) * bf16Value(scales[(t * blocks + b) * kTileRows + l]);
        }
}

void q4RowProduct(const std::uint8_t* weights, const std::uint16_t* scales, const Q4Layout& layout, const QuantizedRows& x,
                  float* y, int64_t groupBegin, int64_t groupEnd) {
    if (x.rows > 0 && groupBegin < groupEnd)
        chooseKernel(std::min<int64_t>(x.rows, kMaxQuantizedRowsPerPass))(weights, scales, layout, x, y, groupBegin, groupEnd);
}

} // namespace echoforge::kernels
