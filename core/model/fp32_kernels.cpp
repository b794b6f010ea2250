#include "core/model/fp32_kernels.h"

#include <algorithm>

#include <immintrin.h>

namespace echoforge::kernels {

namespace {

constexpr int64_t kPerChunk = Fp32Layout::kPerChunk;

inline int64_t chunkOffset(const Fp32Layout& layout, int64_t o, int64_t c) {
    return o / kRowsPerGroup * kRowsPerGroup * layout.paddedIn() + (c * kRowsPerGroup + o % kRowsPerGroup) * kPerChunk;
}

using GroupKernel = void (*)(const float* packed, const Fp32Layout& layout, const float* x, float* y, int64_t g0, int64_t g1);

template <int R>
void scalarGroups(const float* packed, const Fp32Layout& layout, const float* x, float* y, int64_t g0, int64_t g1) {
    const int64_t chunks = layout.paddedIn() / kPerChunk;
    for (int64_t o = g0 * kRowsPerGroup; o < std::min(layout.out, g1 * kRowsPerGroup); ++o)
        for (int r = 0; r < R; ++r) {
            float sum = 0;
            for (int64_t c = 0; c < chunks; ++c)
                for (int64_t e = 0; e < kPerChunk; ++e)
                    sum += packed[chunkOffset(layout, o, c) + e] * x[r * layout.paddedIn() + c * kPerChunk + e];
            y[r * layout.out + o] = sum;
        }
}

#pragma GCC push_options
#pragma GCC target("avx2,fma")

inline float horizontalSum(__m256 v) {
    const __m128 quad = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 pair = _mm_add_ps(quad, _mm_movehl_ps(quad, quad));
    return _mm_cvtss_f32(_mm_add_ss(pair, _mm_movehdup_ps(pair)));
}

// A chunk is two 32-byte loads; one accumulator per (row of the group, activation row).
template <int R>
void avx2Groups(const float* packed, const Fp32Layout& layout, const float* x, float* y, int64_t g0, int64_t g1) {
    const int64_t stride = layout.paddedIn(), chunks = stride / kPerChunk;
    for (int64_t g = g0; g < g1; ++g) {
        __m256 acc[kRowsPerGroup][R];
        for (auto& row : acc)
            for (auto& a : row)
                a = _mm256_setzero_ps();
        const float* w = packed + g * kRowsPerGroup * stride;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kPerChunk)
            for (int64_t half = 0; half < 2; ++half) {
                __m256 xs[R];
                for (int r = 0; r < R; ++r)
                    xs[r] = _mm256_loadu_ps(x + r * stride + c * kPerChunk + half * 8);
                for (int k = 0; k < kRowsPerGroup; ++k) {
                    const __m256 weights = _mm256_loadu_ps(w + k * kPerChunk + half * 8);
                    for (int r = 0; r < R; ++r)
                        acc[k][r] = _mm256_fmadd_ps(weights, xs[r], acc[k][r]);
                }
            }
        for (int k = 0; k < kRowsPerGroup; ++k)
            if (g * kRowsPerGroup + k < layout.out)
                for (int r = 0; r < R; ++r)
                    y[r * layout.out + g * kRowsPerGroup + k] = horizontalSum(acc[k][r]);
    }
}

#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f")

// A chunk is one 64-byte load.
template <int R>
void avx512Groups(const float* packed, const Fp32Layout& layout, const float* x, float* y, int64_t g0, int64_t g1) {
    const int64_t stride = layout.paddedIn(), chunks = stride / kPerChunk;
    for (int64_t g = g0; g < g1; ++g) {
        __m512 acc[kRowsPerGroup][R];
        for (auto& row : acc)
            for (auto& a : row)
                a = _mm512_setzero_ps();
        const float* w = packed + g * kRowsPerGroup * stride;
        for (int64_t c = 0; c < chunks; ++c, w += kRowsPerGroup * kPerChunk) {
            __m512 xs[R];
            for (int r = 0; r < R; ++r)
                xs[r] = _mm512_loadu_ps(x + r * stride + c * kPerChunk);
            for (int k = 0; k < kRowsPerGroup; ++k) {
                const __m512 weights = _mm512_loadu_ps(w + k * kPerChunk);
                for (int r = 0; r < R; ++r)
                    acc[k][r] = _mm512_fmadd_ps(weights, xs[r], acc[k][r]);
            }
        }
        for (int k = 0; k < kRowsPerGroup; ++k)
            if (g * kRowsPerGroup + k < layout.out)
                for (int r = 0; r < R; ++r)
                    y[r * layout.out + g * kRowsPerGroup + k] = _mm512_reduce_add_ps(acc[k][r]);
    }
}

#pragma GCC pop_options

GroupKernel chooseKernel(bool two) {
    switch (activeIsa()) {
    case Isa::Avx512Vnni:
    case Isa::Avx512: return two ? avx512Groups<2> : avx512Groups<1>;
    case Isa::AvxVnni:
    case Isa::Avx2: return two ? avx2Groups<2> : avx2Groups<1>;
    case Isa::Scalar: break;
    }
    return two ? scalarGroups<2> : scalarGroups<1>;
}

} // namespace

void interleaveFp32(const float* rowMajor, const Fp32Layout& layout, float* packed, int64_t groupBegin, int64_t groupEnd) {
    const int64_t chunks = layout.paddedIn() / kPerChunk;
    for (int64_t o = groupBegin * kRowsPerGroup; o < groupEnd * kRowsPerGroup; ++o)
        for (int64_t c = 0; c < chunks; ++c) {
            float* chunk = packed + chunkOffset(layout, o, c);
            const int64_t present = o < layout.out ? std::clamp<int64_t>(layout.in - c * kPerChunk, 0, kPerChunk) : 0;
            std::copy_n(rowMajor + o * layout.in + c * kPerChunk, present, chunk);
            std::fill(chunk + present, chunk + kPerChunk, 0.0f);
        }
}

void deinterleaveFp32(const float* packed, const Fp32Layout& layout, int64_t rowBegin, int64_t rowEnd, float* out) {
    for (int64_t o = rowBegin; o < rowEnd; ++o)
        for (int64_t c = 0; c * kPerChunk < layout.in; ++c)
            std::copy_n(packed + chunkOffset(layout, o, c), std::min(kPerChunk, layout.in - c * kPerChunk),
                        out + (o - rowBegin) * layout.in + c * kPerChunk);
}

void fp32RowProduct(const float* packed, const Fp32Layout& layout, const float* x, int64_t rows, float* y,
                    int64_t groupBegin, int64_t groupEnd) {
    // Two activation rows per pass keep the accumulators within AVX2's sixteen registers.
    for (int64_t r = 0; r < std::min<int64_t>(rows, kMaxRowsPerPass); r += 2)
        chooseKernel(rows - r >= 2)(packed, layout, x + r * layout.paddedIn(), y + r * layout.out, groupBegin, groupEnd);
}

} // namespace echoforge::kernels
