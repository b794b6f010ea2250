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

struct LlamaLayerWeights {
    torch::Tensor saNormScale, mlpNormScale;   // [dim]
    Linear q, k, v, output;                    // q: [heads·hd, dim], k/v: [kvHeads·hd, dim]
    Linear w1, w2, w3;                         // gate [inter, dim], down [dim, inter], up [inter, dim]
};

class LlamaTransformer {
public:
    // Binds `<prefix>layers.N.…` and `<prefix>norm.scale` from `weights`, kept on `device`.
    LlamaTransformer(const LlamaConfig& config, int cacheLen, WeightSet& weights, const std::string& prefix,
                     WeightPrecision precision, const torch::Device& device = torch::kCPU);

    // x [s, dim] (fp32, any device) at positions start..start+s-1 (start must equal the cache
    // size) → hidden [s, dim] after the final norm, on the model's device. `observeLayer` sees
    // each layer's output, for debugging.
    torch::Tensor forward(const torch::Tensor& x, int64_t start,
                          const std::function<void(int layer, const torch::Tensor&)>& observeLayer = {});
    void resetCache();
    // The keys and values of every position so far, per layer (copies), and back: a transformer
    // restored from a snapshot continues exactly as the one that made it.
    std::vector<std::pair<torch::Tensor, torch::Tensor>> cacheSnapshot() const;
    void restoreCache(const std::vector<std::pair<torch::Tensor, torch::Tensor>>& snapshot);
    int64_t cacheSize() const { return caches_.empty() ? 0 : caches_.front().size; }
    int64_t cacheCapacity() const { return cacheLen_; }

    const RotaryEmbedding& rope() const { return rope_; }
    const LlamaConfig& config() const { return config_; }
    // Bytes of weights read by one forward pass.
    int64_t weightBytes() const;

private:
    torch::Tensor rmsNorm(const torch::Tensor& x, const torch::Tensor& scale) const;
    torch::Tensor attention(const LlamaLayerWeights& w, KVCache& cache, const torch::Tensor& x, int64_t start) const;

    LlamaConfig config_;
    int cacheLen_;
    torch::Device device_;
    RotaryEmbedding rope_;
    std::vector<LlamaLayerWeights> layers_;
    std::vector<KVCache> caches_;
    torch::Tensor normScale_;
};

} // namespace echoforge
