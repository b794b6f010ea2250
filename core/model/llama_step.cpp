// LlamaTransformer::step: the forward pass of a few rows in plain C++ over the weight formats'
// kernels. The same math as forward()'s torch path (torchtune's llama3_2, see llama.h), written
// out so that a step calls no torch operation: per layer two norms, two stacked products
// (q/k/v, gate/up), two more (output, down), RoPE in place and attention over the cache.

#include <cmath>

#include <ATen/Parallel.h>

#include "core/model/llama.h"

#include "core/common/error.h"

namespace echoforge {

namespace {

constexpr int64_t kSwiGluGrain = 2048;   // elements per task: well above the cost of handing one out

// torchtune rms_norm.py: x·rsqrt(mean(x²) + eps)·scale, per row of `dim`.
void rmsNormRows(const float* x, int64_t rows, int64_t dim, const float* scale, double eps, float* out) {
    for (int64_t r = 0; r < rows; ++r) {
        const float* row = x + r * dim;
        float squares = 0;
#pragma omp simd reduction(+ : squares)
        for (int64_t i = 0; i < dim; ++i)
            squares += row[i] * row[i];
        const float inverse = 1.0f / std::sqrt(squares / float(dim) + float(eps));
        for (int64_t i = 0; i < dim; ++i)
            out[r * dim + i] = row[i] * inverse * scale[i];
    }
}

// Llama3ScaledRoPE on `heads` heads of one row at one position: pairs (x[2i], x[2i+1]) turn by
// the angle whose cos and sin the table holds ([headDim/2][2] for this position).
void rotate(float* x, int64_t heads, int64_t headDim, const float* table) {
    for (int64_t h = 0; h < heads; ++h)
        for (int64_t i = 0; i < headDim / 2; ++i) {
            float* pair = x + h * headDim + 2 * i;
            const float cos = table[2 * i], sin = table[2 * i + 1];
            const float x0 = pair[0], x1 = pair[1];
            pair[0] = x0 * cos - x1 * sin;
            pair[1] = x1 * cos + x0 * sin;
        }
}

float dot(const float* a, const float* b, int64_t n) {
    float sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int64_t i = 0; i < n; ++i)
        sum += a[i] * b[i];
    return sum;
}

} // namespace

// One query head of one row against cache slots 0..position: softmax(q·kᵀ/√hd)·v into `mixed`.
// `scores` holds position + 1 floats.
static void attendHead(const float* q, const float* keys, const float* values, int64_t position, int64_t headDim,
                       float* scores, float* mixed) {
    const float scale = 1.0f / std::sqrt(float(headDim));
    float largest = -INFINITY;
    for (int64_t j = 0; j <= position; ++j) {
        scores[j] = dot(q, keys + j * headDim, headDim) * scale;
        largest = std::max(largest, scores[j]);
    }
    float total = 0;
    for (int64_t j = 0; j <= position; ++j)
        total += scores[j] = std::exp(scores[j] - largest);
    std::fill(mixed, mixed + headDim, 0.0f);
    for (int64_t j = 0; j <= position; ++j) {
        const float weight = scores[j] / total;
        const float* v = values + j * headDim;
#pragma omp simd
        for (int64_t i = 0; i < headDim; ++i)
            mixed[i] += weight * v[i];
    }
}

void LlamaTransformer::attendRows(int layer, const float* qkv, const RowPlace* places, int64_t rows, float* mixed) {
    const int64_t heads = config_.heads, kvHeads = config_.kvHeads, hd = config_.headDim;
    const int64_t width = (heads + 2 * kvHeads) * hd, group = heads / kvHeads;
    const int64_t capacity = cacheLen_;
    auto cacheOf = [&](int64_t r) -> KVCache& { return streams_[std::size_t(places[r].stream)][std::size_t(layer)]; };
    int64_t longest = 1;
    for (int64_t r = 0; r < rows; ++r) {   // every row's keys and values first: a later row of a stream sees earlier ones
        KVCache& cache = cacheOf(r);
        const int64_t at = places[r].position;
        for (int64_t kv = 0; kv < kvHeads; ++kv) {
            std::copy_n(qkv + r * width + (heads + kv) * hd, hd, cache.keys.data_ptr<float>() + (kv * capacity + at) * hd);
            std::copy_n(qkv + r * width + (heads + kvHeads + kv) * hd, hd, cache.values.data_ptr<float>() + (kv * capacity + at) * hd);
        }
        cache.size = std::max(cache.size, at + 1);
        longest = std::max(longest, at + 1);
    }
    // A row at position p sees slots 0..p of its stream (models.py's causal mask). Heads are
    // independent: the backbone's 32 heads over a long cache are worth the threads.
    at::parallel_for(0, rows * heads, std::max<int64_t>(1, 4096 / longest), [&](int64_t begin, int64_t end) {
        std::vector<float> scores(static_cast<std::size_t>(longest));
        for (int64_t item = begin; item < end; ++item) {
            const int64_t r = item / heads, h = item % heads, kv = h / group;
            const KVCache& cache = cacheOf(r);
            attendHead(qkv + r * width + h * hd, cache.keys.data_ptr<float>() + kv * capacity * hd,
                       cache.values.data_ptr<float>() + kv * capacity * hd, places[r].position, hd, scores.data(),
                       mixed + r * heads * hd + h * hd);
        }
    });
}

void LlamaTransformer::step(const float* x, int64_t s, int64_t start, float* out,
                            const std::function<void(int, const float*)>& observeLayer) {
    checkPositions(start, s);
    std::vector<RowPlace> places;
    for (int64_t r = 0; r < s; ++r)
        places.push_back({current_, start + r});
    stepRows(x, places.data(), s, out, observeLayer);
}

void LlamaTransformer::stepRows(const float* x, const RowPlace* places, int64_t s, float* out,
                                const std::function<void(int, const float*)>& observeLayer) {
    if (s > Linear::kMaxKernelRows)
        throw Error(QStringLiteral("A step takes at most %1 rows, not %2.").arg(Linear::kMaxKernelRows).arg(s));
    for (int64_t r = 0; r < s; ++r) {
        const auto& place = places[r];
        if (place.stream < 0 || place.stream >= streamCount())
            throw Error(QStringLiteral("Stream %1 does not exist; the transformer has %2.").arg(place.stream).arg(streamCount()));
        if (place.position >= std::min<int64_t>(cacheLen_, config_.maxSeqLen))
            throw Error(QStringLiteral("The transformer's context of %1 positions is full.").arg(std::min<int64_t>(cacheLen_, config_.maxSeqLen)));
    }
    const int64_t d = config_.dim, hd = config_.headDim, heads = config_.heads, kvHeads = config_.kvHeads;
    const int64_t inter = config_.intermediate, width = (heads + 2 * kvHeads) * hd;
    auto& b = buffers_;
    b.h.assign(x, x + s * d);                             // [s, d], the residual stream
    b.normed.resize(std::size_t(s * d));
    b.qkv.resize(std::size_t(s * width));                 // [s, (h + 2·kv)·hd]
    b.mixed.resize(std::size_t(s * heads * hd));          // [s, h·hd]
    b.projected.resize(std::size_t(s * d));
    b.gateUp.resize(std::size_t(s * 2 * inter));          // [s, 2·inter]
    b.gated.resize(std::size_t(s * inter));
    const float* ropeTable = rope_.cache().data_ptr<float>();   // [maxSeqLen, hd/2, 2]
    auto addInto = [&](const std::vector<float>& from) {
        for (std::size_t i = 0; i < b.h.size(); ++i)
            b.h[i] += from[i];
    };
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const auto& w = layers_[i];
        rmsNormRows(b.h.data(), s, d, w.saNormScale.data_ptr<float>(), config_.normEps, b.normed.data());
        w.qkv.multiply(b.normed.data(), s, b.qkv.data());
        for (int64_t r = 0; r < s; ++r) {
            const float* table = ropeTable + places[r].position * hd;
            rotate(b.qkv.data() + r * width, heads, hd, table);                 // q
            rotate(b.qkv.data() + r * width + heads * hd, kvHeads, hd, table);  // k
        }
        attendRows(int(i), b.qkv.data(), places, s, b.mixed.data());
        w.output.multiply(b.mixed.data(), s, b.projected.data());
        addInto(b.projected);
        rmsNormRows(b.h.data(), s, d, w.mlpNormScale.data_ptr<float>(), config_.normEps, b.normed.data());
        w.w13.multiply(b.normed.data(), s, b.gateUp.data());
        // SwiGLU: silu(gate)·up. 8,192 exponentials a row take ~30 µs, which the decoder pays 124
        // times a frame: on every thread, not on one while the others wait at the next product.
        at::parallel_for(0, s * inter, kSwiGluGrain, [&](int64_t begin, int64_t end) {
            for (int64_t item = begin; item < end; ++item) {
                const int64_t r = item / inter, j = item % inter;
                const float gate = b.gateUp[std::size_t(r * 2 * inter + j)];
                b.gated[std::size_t(item)] = gate / (1.0f + std::exp(-gate)) * b.gateUp[std::size_t(r * 2 * inter + inter + j)];
            }
        });
        w.w2.multiply(b.gated.data(), s, b.projected.data());
        addInto(b.projected);
        if (observeLayer)
            observeLayer(int(i), b.h.data());
    }
    rmsNormRows(b.h.data(), s, d, normScale_.data_ptr<float>(), config_.normEps, out);
}

} // namespace echoforge
