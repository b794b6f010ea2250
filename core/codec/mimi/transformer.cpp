#include "core/codec/mimi/transformer.h"

#include <cmath>
#include <limits>

#include "core/codec/mimi/float_weights.h"
#include "core/codec/mimi/matvec.h"
#include "core/common/error.h"

namespace echoforge::mimi {
namespace {

using torch::indexing::Slice;

// softmax(q·kᵀ/√D, only where `allowed`)·v, as F.scaled_dot_product_attention with a boolean mask.
// q [B, H, Tq, D], k and v [B, H, Tk, D], allowed [Tq, Tk] → [B, H, Tq, D].
torch::Tensor maskedAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                              const torch::Tensor& allowed) {
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    torch::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) * scale;   // [B, H, Tq, Tk]
    scores.masked_fill_(allowed.logical_not(), -std::numeric_limits<float>::infinity());
    return torch::matmul(torch::softmax(scores, -1), v);
}

// transformer.py mask: a query at qPos sees a key at kPos when 0 ≤ qPos − kPos < context
// (and the key slot is filled: kPos ≥ 0). qPos [Tq], kPos [Tk] → [Tq, Tk].
torch::Tensor causalWindow(const torch::Tensor& qPos, const torch::Tensor& kPos, int64_t context) {
    const torch::Tensor delta = qPos.unsqueeze(1) - kPos.unsqueeze(0);
    return (kPos.unsqueeze(0) >= 0) & (delta >= 0) & (delta < context);
}

// nn.Linear's [out, in] weight as the [in, out] matrix productInOut reads.
torch::Tensor inOut(const torch::Tensor& outIn) { return outIn.t().contiguous(); }

} // namespace

void AttentionCache::reset() {
    keys = torch::zeros_like(keys);
    values = torch::zeros_like(values);
    positions = torch::full_like(positions, -1);
    written = 0;
}

void MimiTransformerState::reset() {
    for (AttentionCache& cache : layers)
        cache.reset();
    offset = 0;
}

MimiTransformer MimiTransformer::load(WeightSet& weights, const std::string& prefix,
                                      const TransformerConfig& config) {
    MimiTransformer t;
    t.config_ = config;
    const int64_t d = config.dModel;
    const int64_t ff = config.dimFeedforward;
    for (int i = 0; i < config.numLayers; ++i) {
        const std::string p = prefix + ".transformer.layers." + std::to_string(i) + ".";
        Layer l;
        l.norm1Weight = takeFloat(weights, p + "norm1.weight", {d});
        l.norm1Bias = takeFloat(weights, p + "norm1.bias", {d});
        // NOTES.md: the published checkpoint has the older names; moshi renames them on load.
        l.inProj = inOut(takeAnyFloat(weights, {p + "self_attn.in_projs.0.weight", p + "self_attn.in_proj_weight"},
                                      {3 * d, d}));
        l.outProj = inOut(
            takeAnyFloat(weights, {p + "self_attn.out_projs.0.weight", p + "self_attn.out_proj.weight"}, {d, d}));
        l.layerScale1 = takeFloat(weights, p + "layer_scale_1.scale", {d});
        l.norm2Weight = takeFloat(weights, p + "norm2.weight", {d});
        l.norm2Bias = takeFloat(weights, p + "norm2.bias", {d});
        l.linear1 = inOut(takeFloat(weights, p + "linear1.weight", {ff, d}));
        l.linear2 = inOut(takeFloat(weights, p + "linear2.weight", {d, ff}));
        l.layerScale2 = takeFloat(weights, p + "layer_scale_2.scale", {d});
        t.layers_.push_back(std::move(l));
    }
    return t;
}

MimiTransformerState MimiTransformer::initialState(int64_t batch) const {
    MimiTransformerState state;
    const int64_t heads = config_.numHeads;
    const int64_t context = config_.context;
    for (size_t i = 0; i < layers_.size(); ++i) {
        AttentionCache cache;
        cache.keys = torch::zeros({batch, heads, context, config_.headDim()});
        cache.values = torch::zeros({batch, heads, context, config_.headDim()});
        cache.positions = torch::full({context}, -1, torch::kLong);
        state.layers.push_back(std::move(cache));
    }
    return state;
}

// rope.py apply_rope, interleaved: pairs (x[2i], x[2i+1]) rotate by (offset + t)·θ_i,
// θ_i = max_period^(−2i/D). x [B, H, T, D].
torch::Tensor MimiTransformer::applyRope(const torch::Tensor& x, int64_t offset) const {
    const int64_t T = x.size(2);
    const int64_t D = x.size(3);
    const torch::Tensor ds = torch::arange(D / 2, torch::kFloat);
    const torch::Tensor freqs = torch::exp(ds * (-std::log(config_.maxPeriod) * 2.0 / static_cast<double>(D)));
    const torch::Tensor ts = (torch::arange(T, torch::kFloat) + static_cast<double>(offset)).view({1, 1, T, 1});
    const torch::Tensor angle = freqs * ts;   // [1, 1, T, D/2]
    const torch::Tensor rotr = torch::cos(angle);
    const torch::Tensor roti = torch::sin(angle);
    const torch::Tensor pairs = x.reshape({x.size(0), x.size(1), T, D / 2, 2});
    const torch::Tensor xr = pairs.select(-1, 0);
    const torch::Tensor xi = pairs.select(-1, 1);
    const torch::Tensor outr = xr * rotr - xi * roti;
    const torch::Tensor outi = xr * roti + xi * rotr;
    return torch::stack({outr, outi}, -1).view({x.size(0), x.size(1), T, D});
}

// Whole sequence from position 0, one block of queries at a time so memory stays
// O(T · context) rather than O(T²): block [s, e) only needs keys [s − context + 1, e).
torch::Tensor MimiTransformer::attendWindowed(const torch::Tensor& q, const torch::Tensor& k,
                                              const torch::Tensor& v) const {
    const int64_t T = q.size(2);
    const int64_t context = config_.context;
    const int64_t block = context;
    std::vector<torch::Tensor> outputs;
    for (int64_t start = 0; start < T; start += block) {
        const int64_t end = std::min(T, start + block);
        const int64_t keyStart = std::max<int64_t>(0, start - context + 1);
        const torch::Tensor allowed =
            causalWindow(torch::arange(start, end, torch::kLong), torch::arange(keyStart, end, torch::kLong), context);
        outputs.push_back(maskedAttention(q.index({Slice(), Slice(), Slice(start, end)}),
                                          k.index({Slice(), Slice(), Slice(keyStart, end)}),
                                          v.index({Slice(), Slice(), Slice(keyStart, end)}), allowed));
    }
    return outputs.size() == 1 ? outputs.front() : torch::cat(outputs, 2);
}

// Streaming: write the call's keys into the ring first (RingKVCache.complete), then attend to it.
torch::Tensor MimiTransformer::attendCached(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                            AttentionCache& cache, int64_t offset) const {
    const int64_t T = q.size(2);
    const int64_t capacity = cache.positions.size(0);
    const torch::Tensor steps = torch::arange(cache.written, cache.written + T, torch::kLong);
    const torch::Tensor ringIndex = steps.remainder(capacity);
    cache.keys.index_copy_(2, ringIndex, k);
    cache.values.index_copy_(2, ringIndex, v);
    cache.positions.index_copy_(0, ringIndex, steps);
    cache.written += T;
    const torch::Tensor allowed =
        causalWindow(torch::arange(offset, offset + T, torch::kLong), cache.positions, config_.context);
    return maskedAttention(q, cache.keys, cache.values, allowed);
}

template <typename Attend>
torch::Tensor MimiTransformer::runLayer(const Layer& l, const torch::Tensor& x, int64_t offset, Attend&& attend,
                                        MimiTrace* trace, size_t index) const {
    const int64_t B = x.size(0);
    const int64_t T = x.size(1);
    const int64_t d = config_.dModel;
    const int64_t H = config_.numHeads;
    const int64_t D = config_.headDim();

    // Self-attention block.
    const torch::Tensor h = torch::layer_norm(x, {d}, l.norm1Weight, l.norm1Bias, config_.normEps);
    // [B, T, 3d] → (p h d) split → 3 × [B, H, T, D]
    const torch::Tensor qkv = productInOut(h, l.inProj).view({B, T, 3, H, D}).permute({2, 0, 3, 1, 4});
    const torch::Tensor q = applyRope(qkv[0], offset);
    const torch::Tensor k = applyRope(qkv[1], offset);
    const torch::Tensor v = qkv[2];
    const torch::Tensor heads = attend(q, k, v);                                        // [B, H, T, D]
    const torch::Tensor attn = productInOut(heads.transpose(1, 2).reshape({B, T, d}), l.outProj);   // [B, T, d]
    if (index == 0)
        traceRecord(trace, "transformer_layer0_attn", attn);
    const torch::Tensor afterAttention = x + l.layerScale1 * attn;

    // Feed-forward block (no bias, exact erf GELU).
    const torch::Tensor h2 =
        torch::layer_norm(afterAttention, {d}, l.norm2Weight, l.norm2Bias, config_.normEps);
    const torch::Tensor update = productInOut(torch::gelu(productInOut(h2, l.linear1)), l.linear2);
    const torch::Tensor out = afterAttention + l.layerScale2 * update;
    traceRecord(trace, "transformer_layer" + std::to_string(index) + "_out", out);
    return out;
}

torch::Tensor MimiTransformer::forward(const torch::Tensor& x, MimiTrace* trace) const {
    if (x.dim() != 3 || x.size(1) != config_.dModel)
        throw Error(QStringLiteral("The Mimi transformer expects [batch, %1, time] input.").arg(config_.dModel));
    torch::Tensor h = x.transpose(1, 2);   // conv layout [B, C, T] → [B, T, C]
    for (size_t i = 0; i < layers_.size(); ++i)
        h = runLayer(layers_[i], h, 0, [&](auto& q, auto& k, auto& v) { return attendWindowed(q, k, v); }, trace, i);
    torch::Tensor out = h.transpose(1, 2).contiguous();   // back to [B, C, T]
    traceRecord(trace, "transformer_out", out);
    return out;
}

torch::Tensor MimiTransformer::step(const torch::Tensor& x, MimiTransformerState& state, MimiTrace* trace) const {
    if (x.dim() != 3 || x.size(1) != config_.dModel)
        throw Error(QStringLiteral("The Mimi transformer expects [batch, %1, time] input.").arg(config_.dModel));
    const int64_t T = x.size(2);
    if (T > config_.context)
        throw Error(QStringLiteral("A streaming Mimi transformer call takes at most %1 steps, not %2.")
                        .arg(config_.context).arg(T));
    if (state.layers.size() != layers_.size() || (!layers_.empty() && state.layers[0].keys.size(0) != x.size(0)))
        throw Error("The Mimi streaming state was made for another model or batch size.");
    torch::Tensor h = x.transpose(1, 2);
    for (size_t i = 0; i < layers_.size(); ++i) {
        AttentionCache& cache = state.layers[i];
        h = runLayer(layers_[i], h, state.offset,
                     [&](auto& q, auto& k, auto& v) { return attendCached(q, k, v, cache, state.offset); }, trace, i);
    }
    state.offset += T;
    torch::Tensor out = h.transpose(1, 2).contiguous();
    traceRecord(trace, "transformer_out", out);
    return out;
}

} // namespace echoforge::mimi
