#pragma once
// Mimi's causal transformer (moshi modules/transformer.py ProjectedTransformer with
// StreamingTransformer, StreamingTransformerLayer, StreamingMultiheadAttention and RingKVCache;
// RoPE from modules/rope.py). Input and output projections are identities in Mimi
// (input_dimension = d_model = output dimension), so they are absent.
//
// Layer: x += ls1 · attn(LayerNorm1(x));  x += ls2 · linear2(gelu(linear1(LayerNorm2(x))))
// Attention: interleaved RoPE at each step's absolute position; a query at position p sees the
// keys at p - context + 1 … p.
//
// Whole sequence and streaming see different keys once the window is full: a streaming call
// of T steps first writes its T keys into a ring of `context` slots, which evicts the oldest
// keys the earliest queries of the call could still see. Both are reproduced as the reference has them.

#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/codec/mimi/mimi_config.h"
#include "core/codec/mimi/trace.h"

namespace echoforge {
class WeightSet;
}

namespace echoforge::mimi {

// transformer.py RingKVCache: the last `context` keys and values of one layer.
struct AttentionCache {
    torch::Tensor keys;        // [B, H, context, D]
    torch::Tensor values;      // [B, H, context, D]
    torch::Tensor positions;   // [context] int64: the step held by each slot, -1 when empty
    int64_t written = 0;       // steps written so far; slot of step s = s % context

    void reset();
};

struct MimiTransformerState {
    std::vector<AttentionCache> layers;
    int64_t offset = 0;        // absolute position of the next step (RoPE, mask)

    void reset();
};

class MimiTransformer {
public:
    // Binds `<prefix>.transformer.layers.N.*`, prefix "encoder_transformer" or "decoder_transformer".
    // Attention projections may be spelled as published (`in_proj_weight`, `out_proj.weight`)
    // or as newer moshi names them (`in_projs.0.weight`, `out_projs.0.weight`).
    static MimiTransformer load(WeightSet& weights, const std::string& prefix, const TransformerConfig& config);

    MimiTransformerState initialState(int64_t batch) const;
    // Whole sequence from position 0: [B, C, T] → [B, C, T].
    torch::Tensor forward(const torch::Tensor& x, MimiTrace* trace = nullptr) const;
    // The next T steps (T ≤ context): [B, C, T] → [B, C, T].
    torch::Tensor step(const torch::Tensor& x, MimiTransformerState& state, MimiTrace* trace = nullptr) const;

private:
    struct Layer {
        torch::Tensor norm1Weight, norm1Bias;   // [d]
        // Projections kept as [in, out] (the checkpoint's [out, in] transposed), see matvec.h.
        torch::Tensor inProj;                   // [d, 3d], columns (q | k | v) × (head, dim)
        torch::Tensor outProj;                  // [d, d]
        torch::Tensor layerScale1;              // [d]
        torch::Tensor norm2Weight, norm2Bias;   // [d]
        torch::Tensor linear1;                  // [d, ff]
        torch::Tensor linear2;                  // [ff, d]
        torch::Tensor layerScale2;              // [d]
    };

    // x [B, T, d]; attention computed by `attend` from q, k, v [B, H, T, D] at positions offset…
    template <typename Attend>
    torch::Tensor runLayer(const Layer& layer, const torch::Tensor& x, int64_t offset, Attend&& attend,
                           MimiTrace* trace, size_t index) const;
    torch::Tensor applyRope(const torch::Tensor& x, int64_t offset) const;
    torch::Tensor attendWindowed(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v) const;
    torch::Tensor attendCached(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                               AttentionCache& cache, int64_t offset) const;

    TransformerConfig config_;
    std::vector<Layer> layers_;
};

} // namespace echoforge::mimi
