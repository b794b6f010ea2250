#include "core/model/row_kernels.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include <immintrin.h>

#include "core/common/cpu_features.h"

namespace echoforge::kernels {

namespace {

bool supported(Isa isa) {
    const auto& cpu = CpuFeatures::detect();
    const bool avx2 = cpu.avx2 && cpu.fma, avx512 = cpu.avx512f && cpu.avx512bw;
    switch (isa) {
    case Isa::Avx512Vnni: return avx512 && cpu.avx512vnni;
    case Isa::Avx512: return avx512;
    case Isa::AvxVnni: return avx2 && cpu.avxvnni;
    case Isa::Avx2: return avx2;
    case Isa::Scalar: break;
    }
    return true;
}

constexpr Isa kBestFirst[] = {Isa::Avx512Vnni, Isa::Avx512, Isa::AvxVnni, Isa::Avx2, Isa::Scalar};

Isa detectIsa() {
    for (Isa isa : kBestFirst)
        if (supported(isa))
            return isa;
    return Isa::Scalar;
}

const char* nameOf(Isa isa) {
    switch (isa) {
    case Isa::Avx512Vnni: return "avx512vnni";
    case Isa::Avx512: return "avx512";
    case Isa::AvxVnni: return "avxvnni";
    case Isa::Avx2: return "avx2";
    case Isa::Scalar: break;
    }
    return "scalar";
}

std::atomic<Isa>& chosenIsa() {
    static std::atomic<Isa> chosen{detectIsa()};
    return chosen;
}

Isa isa() { return activeIsa(); }
// The bf16 kernels' own level: the VNNI levels add nothing to the widen-and-FMA loops.
bool avx512Level(Isa i) { return i == Isa::Avx512 || i == Isa::Avx512Vnni; }

// A bf16 is the high half of an fp32.
inline float bf16Value(std::uint16_t bits) {
    const std::uint32_t word = std::uint32_t(bits) << 16;
    float value;
    std::memcpy(&value, &word, sizeof value);
    return value;
}

constexpr int64_t kPerChunk = InterleavedLayout::kElementsPerChunk;

// Where input i of an activation row lies in its packed row (see PackedRows).
int64_t packedPosition(int64_t i, Isa kernel) {
    if (kernel == Isa::Scalar)
        return i;
    const int64_t span = avx512Level(kernel) ? 32 : 16;   // weights one vector load widens
    const int64_t base = i / span * span, t = i % span;
    return base + (t % 2 == 0 ? t / 2 : span / 2 + t / 2);
}

// Element offset of row o's chunk c in an interleaved W.
inline int64_t chunkOffset(const InterleavedLayout& layout, int64_t o, int64_t c) {
    const int64_t group = o / kRowsPerGroup, row = o % kRowsPerGroup;
    return group * kRowsPerGroup * layout.paddedIn() + (c * kRowsPerGroup + row) * kPerChunk;
}

// One of the kernels: the groups [g0, g1) against R activation rows.
using GroupKernel = void (*)(const std::uint16_t* packed, const InterleavedLayout& layout, const float* x, int64_t xStride,
                             float* y, int64_t g0, int64_t g1);

template <int R>
void scalarGroups(const std::uint16_t* packed, const InterleavedLayout& layout, const float* x, int64_t xStride,
                  float* y, int64_t g0, int64_t g1) {
    const int64_t chunks = layout.paddedIn() / kPerChunk;
    for (int64_t o = g0 * kRowsPerGroup; o < std::min(layout.out, g1 * kRowsPerGroup); ++o)
        for (int r = 0; r < R; ++r) {
            float sum = 0;
            for (int64_t c = 0; c < chunks; ++c)
                for (int64_t e = 0; e < kPerChunk; ++e)
                    sum += bf16Value(packed[chunkOffset(layout, o, c) + e]) * x[r * xStride + c * kPerChunk + e];
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
void avx2Groups(const std::uint16_t* packed, const InterleavedLayout& layout, const float* x, int64_t xStride,
                float* y, int64_t g0, int64_t g1) {
    constexpr int64_t kPerLoad = 16;
    const __m256i highHalves = _mm256_set1_epi32(int(0xffff0000u));
    const int64_t chunks = layout.paddedIn() / kPerChunk, groupElements = kRowsPerGroup * layout.paddedIn();
    for (int64_t g = g0; g < g1; ++g) {
        __m256 acc[kRowsPerGroup][R];
        for (auto& row : acc)
            for (auto& a : row)
                a = _mm256_setzero_ps();
        for (int64_t c = 0; c < chunks; ++c) {
            const std::uint16_t* w = packed + g * groupElements + c * kRowsPerGroup * kPerChunk;
            for (int64_t half = 0; half < kPerChunk / kPerLoad; ++half) {
                const int64_t at = c * kPerChunk + half * kPerLoad;   // first input of this load
                __m256 xEven[R], xOdd[R];
                for (int r = 0; r < R; ++r) {
                    xEven[r] = _mm256_loadu_ps(x + r * xStride + at);
                    xOdd[r] = _mm256_loadu_ps(x + r * xStride + at + kPerLoad / 2);
                }
                for (int k = 0; k < kRowsPerGroup; ++k) {
                    const auto* pairsAt = reinterpret_cast<const __m256i*>(w + k * kPerChunk + half * kPerLoad);
                    const __m256i pairs = _mm256_loadu_si256(pairsAt);
                    const __m256 even = _mm256_castsi256_ps(_mm256_slli_epi32(pairs, 16));
                    const __m256 odd = _mm256_castsi256_ps(_mm256_and_si256(pairs, highHalves));
                    for (int r = 0; r < R; ++r)
                        acc[k][r] = _mm256_fmadd_ps(odd, xOdd[r], _mm256_fmadd_ps(even, xEven[r], acc[k][r]));
                }
            }
        }
        for (int k = 0; k < kRowsPerGroup; ++k) {
            const int64_t o = g * kRowsPerGroup + k;
            if (o < layout.out)
                for (int r = 0; r < R; ++r)
                    y[r * layout.out + o] = horizontalSum(acc[k][r]);
        }
    }
}

void avx2Bf16ToFloat(const std::uint16_t* in, float* out, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i)));
        _mm256_storeu_ps(out + i, _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16)));
    }
    for (; i < n; ++i)
        out[i] = bf16Value(in[i]);
}

#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw")

// A chunk is one 64-byte load.
template <int R>
void avx512Groups(const std::uint16_t* packed, const InterleavedLayout& layout, const float* x, int64_t xStride,
                  float* y, int64_t g0, int64_t g1) {
    const __m512i highHalves = _mm512_set1_epi32(int(0xffff0000u));
    const int64_t chunks = layout.paddedIn() / kPerChunk, groupElements = kRowsPerGroup * layout.paddedIn();
    for (int64_t g = g0; g < g1; ++g) {
        __m512 acc[kRowsPerGroup][R];
        for (auto& row : acc)
            for (auto& a : row)
                a = _mm512_setzero_ps();
        for (int64_t c = 0; c < chunks; ++c) {
            const std::uint16_t* w = packed + g * groupElements + c * kRowsPerGroup * kPerChunk;
            const int64_t at = c * kPerChunk;
            __m512 xEven[R], xOdd[R];
            for (int r = 0; r < R; ++r) {
                xEven[r] = _mm512_loadu_ps(x + r * xStride + at);
                xOdd[r] = _mm512_loadu_ps(x + r * xStride + at + kPerChunk / 2);
            }
            for (int k = 0; k < kRowsPerGroup; ++k) {
                const __m512i pairs = _mm512_loadu_si512(w + k * kPerChunk);
                const __m512 even = _mm512_castsi512_ps(_mm512_slli_epi32(pairs, 16));
                const __m512 odd = _mm512_castsi512_ps(_mm512_and_si512(pairs, highHalves));
                for (int r = 0; r < R; ++r)
                    acc[k][r] = _mm512_fmadd_ps(odd, xOdd[r], _mm512_fmadd_ps(even, xEven[r], acc[k][r]));
            }
        }
        for (int k = 0; k < kRowsPerGroup; ++k) {
            const int64_t o = g * kRowsPerGroup + k;
            if (o < layout.out)
                for (int r = 0; r < R; ++r)
                    y[r * layout.out + o] = _mm512_reduce_add_ps(acc[k][r]);
        }
    }
}

#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512bf16")

// A chunk is one 64-byte load of W and of x: lane j holds the pair (2j, 2j+1) of both.
template <int R>
void avx512Bf16Groups(const std::uint16_t* packed, const InterleavedLayout& layout, const std::uint16_t* x,
                      int64_t xStride, float* y, int64_t g0, int64_t g1) {
    const int64_t chunks = layout.paddedIn() / kPerChunk, groupElements = kRowsPerGroup * layout.paddedIn();
    for (int64_t g = g0; g < g1; ++g) {
        __m512 acc[kRowsPerGroup][R];
        for (auto& row : acc)
            for (auto& a : row)
                a = _mm512_setzero_ps();
        for (int64_t c = 0; c < chunks; ++c) {
            const std::uint16_t* w = packed + g * groupElements + c * kRowsPerGroup * kPerChunk;
            __m512bh xs[R];
            for (int r = 0; r < R; ++r)
                xs[r] = (__m512bh)_mm512_loadu_si512(x + r * xStride + c * kPerChunk);
            for (int k = 0; k < kRowsPerGroup; ++k) {
                const __m512bh pairs = (__m512bh)_mm512_loadu_si512(w + k * kPerChunk);
                for (int r = 0; r < R; ++r)
                    acc[k][r] = _mm512_dpbf16_ps(acc[k][r], pairs, xs[r]);
            }
        }
        for (int k = 0; k < kRowsPerGroup; ++k) {
            const int64_t o = g * kRowsPerGroup + k;
            if (o < layout.out)
                for (int r = 0; r < R; ++r)
                    y[r * layout.out + o] = _mm512_reduce_add_ps(acc[k][r]);
        }
    }
}

#pragma GCC pop_options

// The kernel for this CPU and number of activation rows (1 or 2).
GroupKernel chooseKernel(int rows) {
    const bool two = rows == 2;
    if (isa() == Isa::Scalar)
        return two ? scalarGroups<2> : scalarGroups<1>;
    if (avx512Level(isa()))
        return two ? avx512Groups<2> : avx512Groups<1>;
    return two ? avx2Groups<2> : avx2Groups<1>;
}

} // namespace

void interleave(const std::uint16_t* rowMajor, const InterleavedLayout& layout, std::uint16_t* packed,
                int64_t groupBegin, int64_t groupEnd) {
    const int64_t chunks = layout.paddedIn() / kPerChunk;
    for (int64_t o = groupBegin * kRowsPerGroup; o < groupEnd * kRowsPerGroup; ++o)
        for (int64_t c = 0; c < chunks; ++c) {
            std::uint16_t* chunk = packed + chunkOffset(layout, o, c);
            const int64_t present = o < layout.out ? std::clamp<int64_t>(layout.in - c * kPerChunk, 0, kPerChunk) : 0;
            std::copy_n(rowMajor + o * layout.in + c * kPerChunk, present, chunk);
            std::fill(chunk + present, chunk + kPerChunk, std::uint16_t(0));
        }
}

void interleaveGroup(const std::uint16_t* rows, const InterleavedLayout& layout, std::uint16_t* packed, int64_t g) {
    const int64_t chunks = layout.paddedIn() / kPerChunk;
    for (int64_t k = 0; k < kRowsPerGroup; ++k)
        for (int64_t c = 0; c < chunks; ++c) {
            std::uint16_t* chunk = packed + chunkOffset(layout, g * kRowsPerGroup + k, c);
            const int64_t present = std::clamp<int64_t>(layout.in - c * kPerChunk, 0, kPerChunk);
            std::copy_n(rows + k * layout.in + c * kPerChunk, present, chunk);
            std::fill(chunk + present, chunk + kPerChunk, std::uint16_t(0));
        }
}

void deinterleaveToFloat(const std::uint16_t* packed, const InterleavedLayout& layout, int64_t rowBegin,
                         int64_t rowEnd, float* out) {
    for (int64_t o = rowBegin; o < rowEnd; ++o)
        for (int64_t c = 0; c * kPerChunk < layout.in; ++c) {
            const int64_t n = std::min(kPerChunk, layout.in - c * kPerChunk);
            float* target = out + (o - rowBegin) * layout.in + c * kPerChunk;
            const std::uint16_t* source = packed + chunkOffset(layout, o, c);
            if (isa() != Isa::Scalar)
                avx2Bf16ToFloat(source, target, n);
            else
                std::transform(source, source + n, target, bf16Value);
        }
}

PackedRows packRows(const float* x, int64_t rows, const InterleavedLayout& layout, float* out) {
    const int64_t stride = layout.paddedIn();
    const Isa kernel = isa();
    std::memset(out, 0, sizeof(float) * std::size_t(rows * stride));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t i = 0; i < layout.in; ++i)
            out[r * stride + packedPosition(i, kernel)] = x[r * layout.in + i];
    return {out, rows, stride};
}

void rowProduct(const std::uint16_t* packed, const InterleavedLayout& layout, const PackedRows& x, float* y,
                int64_t groupBegin, int64_t groupEnd) {
    // Two activation rows per pass keep the accumulators within AVX2's sixteen registers.
    for (int64_t r = 0; r < std::min<int64_t>(x.rows, kMaxRowsPerPass); r += 2) {
        const int rows = int(std::min<int64_t>(2, x.rows - r));
        chooseKernel(rows)(packed, layout, x.data + r * x.stride, x.stride, y + r * layout.out,
                                          groupBegin, groupEnd);
    }
}

bool bf16DotProduct() { return isa() == Isa::Avx512Vnni && CpuFeatures::detect().avx512bf16; }

std::uint16_t roundToBf16(float value) {
    std::uint32_t word;
    std::memcpy(&word, &value, sizeof word);
    if ((word & 0x7fffffffu) > 0x7f800000u)
        return 0x7fc0;   // a quiet NaN
    return std::uint16_t((word + 0x7fffu + ((word >> 16) & 1u)) >> 16);
}

void packRowsBf16(const float* x, int64_t rows, const InterleavedLayout& layout, std::uint16_t* out) {
    const int64_t stride = layout.paddedIn();
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t i = 0; i < stride; ++i)
            out[r * stride + i] = i < layout.in ? roundToBf16(x[r * layout.in + i]) : 0;
}

void rowProductBf16(const std::uint16_t* packed, const InterleavedLayout& layout, const std::uint16_t* x, int64_t rows,
                    float* y, int64_t groupBegin, int64_t groupEnd) {
    const int64_t stride = layout.paddedIn();
    for (int64_t r = 0; r < std::min<int64_t>(rows, kMaxRowsPerPass); r += 2) {
        const auto kernel = rows - r >= 2 ? avx512Bf16Groups<2> : avx512Bf16Groups<1>;
        kernel(packed, layout, x + r * stride, stride, y + r * layout.out, groupBegin, groupEnd);
    }
}

Isa activeIsa() { return chosenIsa().load(std::memory_order_relaxed); }

bool useKernelIsa(std::string_view name) {
    for (Isa isa : kBestFirst)
        if (name == nameOf(isa)) {
            if (!supported(isa))
                return false;
            chosenIsa().store(isa);
            return true;
        }
    return false;
}

std::vector<std::string> availableKernelIsas() {
    std::vector<std::string> names;
    for (Isa isa : kBestFirst)
        if (supported(isa))
            names.emplace_back(nameOf(isa));
    return names;
}

const char* kernelIsaName() { return nameOf(isa()); }

} // namespace echoforge::kernels
