#pragma once
// A torchtune llama3_2 transformer (torchtune/modules/transformer.py, attention.py, kv_cache.py,
// rms_norm.py, feed_forward.py; models/llama3_1/_position_embeddings.py), batch size 1, with
// identity token embeddings and output layer as CSM uses it. Torch TUs only.

#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/model/csm_config.h"
#include "core/model/linear.h"
#include "core/model/tensor_loading.h"

namespace echoforge {

// Llama3ScaledRoPE: rotates interleaved pairs (x[2i], x[2i+1]) of each head by position·θ_i.
class RotaryEmbedding {
public:
    RotaryEmbedding() = default;
    RotaryEmbedding(int headDim, int maxSeqLen, const RopeConfig& rope);

    const torch::Tensor& theta() const { return theta_; }   // [headDim/2]
    const torch::Tensor& cache() const { return cache_; }   // [maxSeqLen, headDim/2, 2]: cos, sin
    void moveTo(const torch::Device& device) { cache_ = cache_.to(device); }
    // x [s, heads, headDim] at positions start..start+s-1 → the same shape, rotated.
    torch::Tensor apply(const torch::Tensor& x, int64_t start) const;

private:
    torch::Tensor theta_;
    torch::Tensor cache_;
};

// Keys and values of every position seen since the last reset, preallocated.
struct KVCache {
    torch::Tensor keys;     // [kvHeads, capacity, headDim]
    torch::Tensor values;   // [kvHeads, capacity, headDim]
    int64_t size = 0;       // positions filled, written in order like torchtune's KVCache

    int64_t capacity() const { return keys.size(1); }
};

// q/k/v and gate/up are stacked so one pass over the normed input reads all of them (one
// product and one thread wake-up instead of three or two).
struct LlamaLayerWeights {
    torch::Tensor saNormScale, mlpNormScale;   // [dim] fp32
    Linear qkv;      // [(heads + 2·kvHeads)·hd, dim]: q rows, then k, then v
    Linear output;   // [dim, heads·hd]
    Linear w13;      // [2·inter, dim]: gate w1 rows, then up w3
    Linear w2;       // down [dim, inter]
};

// The stages inside one layer as torchtune's modules hold them (golden INTERMEDIATES.md,
// torchtune transformer.py l. 127–140, attention.py l. 234–303): to find which stage of a layer
// differs from the reference, not for generation.
struct LlamaLayerTrace {
    torch::Tensor saNorm;        // [s, dim]         sa_norm(x)
    torch::Tensor q, k;          // [s, heads, hd], [s, kvHeads, hd]: q_proj, k_proj, before RoPE
    torch::Tensor qRope, kRope;  // the same after RoPE; kRope is what the cache keeps
    torch::Tensor attnPreProj;   // [s, heads·hd]    softmax(q·kᵀ/√hd + mask)·v, heads concatenated
    torch::Tensor attnOut;       // [s, dim]         output_proj(attnPreProj), before the residual add
    torch::Tensor mlpOut;        // [s, dim]         mlp(mlp_norm(x + attnOut)), before the residual add
    torch::Tensor out;           // [s, dim]         the layer's output
};

class LlamaTransformer {
public:
    // Binds `<prefix>layers.N.…` and `<prefix>norm.scale` from `weights`, kept on `device`.
    LlamaTransformer(const LlamaConfig& config, int cacheLen, WeightSet& weights, const std::string& prefix,
                     WeightPrecision precision, const torch::Device& device = torch::kCPU);

    // x [s, dim] (fp32, any device) at positions start..start+s-1 (start must equal the cache
    // size) → hidden [s, dim] after the final norm, on the model's device. `observeLayer` sees
    // each layer's output, for debugging.
    // On the CPU, up to Linear::kMaxKernelRows rows take step() instead of torch's operations.
    torch::Tensor forward(const torch::Tensor& x, int64_t start,
                          const std::function<void(int layer, const torch::Tensor&)>& observeLayer = {});
    // forward() in plain C++ over the kernels, CPU only (llama_step.cpp): x [s, dim] at positions
    // start.. → out [s, dim], s ≤ Linear::kMaxKernelRows. RoPE in place, attention over the cache
    // by hand, no torch operation: a decoder step is 4 layers of one-row products, and torch's
    // per-operation cost was as large as the products themselves (docs/performance.md).
    void step(const float* x, int64_t s, int64_t start, float* out,
              const std::function<void(int layer, const float* h)>& observeLayer = {});
    // One layer alone through forward()'s torch operations, keeping every stage. x [s, dim] is
    // the layer's input at positions start.. (start must equal that layer's cache size); the
    // layer's cache takes the keys as forward() would, the other layers' caches are untouched.
    LlamaLayerTrace traceLayer(int layer, const torch::Tensor& x, int64_t start);

    // Streams: independent sequences, each with its own keys and values, that share the weights
    // (batched generation). There is one at first. forward(), step(), resetCache() and the
    // snapshots act on the selected stream; stepRows() on the streams its rows name.
    void setStreamCount(int streams);
    int streamCount() const { return int(streams_.size()); }
    void selectStream(int stream);
    // Where one row of a batched step belongs: its stream, and its position there (rows of one
    // stream come in order and continue its cache).
    struct RowPlace {
        int stream = 0;
        int64_t position = 0;
    };
    // step() for rows of several streams at once, each weight read serving all of them. Each
    // row's result is exactly what step() gives it alone: the kernels treat rows independently.
    void stepRows(const float* x, const RowPlace* places, int64_t rows, float* out,
                  const std::function<void(int layer, const float* h)>& observeLayer = {});
    void resetCache();
    // The keys and values of every position so far, per layer (copies), and back: a transformer
    // restored from a snapshot continues exactly as the one that made it.
    std::vector<std::pair<torch::Tensor, torch::Tensor>> cacheSnapshot() const;
    void restoreCache(const std::vector<std::pair<torch::Tensor, torch::Tensor>>& snapshot);
    int64_t cacheSize() const { return caches().empty() ? 0 : caches().front().size; }
    int64_t cacheCapacity() const { return cacheLen_; }

    const RotaryEmbedding& rope() const { return rope_; }
    const LlamaConfig& config() const { return config_; }
    // Bytes of weights read by one forward pass.
    int64_t weightBytes() const;

private:
    torch::Tensor rmsNorm(const torch::Tensor& x, const torch::Tensor& scale) const;
    void checkPositions(int64_t start, int64_t s) const;
    void attendRows(int layer, const float* qkv, const RowPlace* places, int64_t rows, float* mixed);
    KVCache emptyCache() const;
    std::vector<KVCache>& caches() { return streams_[std::size_t(current_)]; }
    const std::vector<KVCache>& caches() const { return streams_[std::size_t(current_)]; }
    // One layer's attention and MLP on h [s, dim] → [s, dim]; fills `trace` where given.
    torch::Tensor layerForward(int layer, const torch::Tensor& h, int64_t start, LlamaLayerTrace* trace = nullptr);
    torch::Tensor attention(const LlamaLayerWeights& w, KVCache& cache, const torch::Tensor& x, int64_t start,
                            LlamaLayerTrace* trace) const;

    LlamaConfig config_;
    int cacheLen_;
    torch::Device device_;
    RotaryEmbedding rope_;
    std::vector<LlamaLayerWeights> layers_;
    std::vector<std::vector<KVCache>> streams_{1};   // [stream][layer]
    int current_ = 0;                                 // the stream forward() and step() use
    torch::Tensor normScale_;
    // step()'s working rows, kept between steps (one model runs one step at a time).
    struct StepBuffers {
        std::vector<float> h, normed, qkv, mixed, projected, gateUp, gated;
    } buffers_;
};

} // namespace echoforge
