#include "core/model/llama.h"

#include <cmath>

#include "core/common/error.h"

namespace echoforge {

namespace {

// torchtune Llama3ScaledRoPE.apply_scaling. Each step is the same torch operation on a float32
// scalar as in the reference (its `2 * math.pi / freq` is `freq.reciprocal() * 2π`), so θ
// matches it bit for bit.
torch::Tensor llama3ScaledFrequencies(const torch::Tensor& freqs, const RopeConfig& rope) {
    const double lowFreqWavelen = rope.oldContextLen / rope.lowFreqFactor;
    const double highFreqWavelen = rope.oldContextLen / rope.highFreqFactor;
    std::vector<float> scaled;
    for (int64_t i = 0; i < freqs.size(0); ++i) {
        const torch::Tensor freq = freqs[i];
        const torch::Tensor wavelen = freq.reciprocal() * (2 * M_PI);
        const float w = wavelen.item<float>();
        torch::Tensor value;
        if (w < highFreqWavelen) {
            value = freq;                                   // high frequencies: unchanged
        } else if (w > lowFreqWavelen) {
            value = freq / rope.scaleFactor;                // low frequencies: slowed down
        } else {                                            // in between: interpolated
            const torch::Tensor smooth = (wavelen.reciprocal() * rope.oldContextLen - rope.lowFreqFactor) /
                                         (rope.highFreqFactor - rope.lowFreqFactor);
            value = torch::rsub(smooth, 1) * freq / rope.scaleFactor + smooth * freq;
        }
        scaled.push_back(value.item<float>());
    }
    return torch::tensor(scaled, torch::kFloat32);
}

} // namespace

RotaryEmbedding::RotaryEmbedding(int headDim, int maxSeqLen, const RopeConfig& rope) {
    // θ_i = base^(−2i/headDim), i = 0 … headDim/2 − 1
    const auto exponents = torch::arange(0, headDim, 2, torch::kFloat32).slice(0, 0, headDim / 2) / headDim;
    const auto freqs = torch::pow(rope.base, exponents).reciprocal();
    switch (rope.scaling) {
    case RopeScaling::None: theta_ = freqs; break;                              // transformers "default"
    case RopeScaling::Linear: theta_ = freqs / rope.scaleFactor; break;         // modeling_rope_utils "linear"
    case RopeScaling::Llama3: theta_ = llama3ScaledFrequencies(freqs, rope); break;
    }
    const auto positions = torch::arange(maxSeqLen, torch::kFloat32);
    const auto angles = torch::einsum("i,j->ij", {positions, theta_});        // [maxSeqLen, headDim/2]
    cache_ = torch::stack({torch::cos(angles), torch::sin(angles)}, -1);      // [maxSeqLen, headDim/2, 2]
}

torch::Tensor RotaryEmbedding::apply(const torch::Tensor& x, int64_t start) const {
    const int64_t s = x.size(0), heads = x.size(1), headDim = x.size(2);
    const auto pairs = x.reshape({s, heads, headDim / 2, 2});                  // [s, h, hd/2, 2]
    const auto table = cache_.narrow(0, start, s).view({s, 1, headDim / 2, 2});
    const auto x0 = pairs.select(-1, 0), x1 = pairs.select(-1, 1);
    const auto cos = table.select(-1, 0), sin = table.select(-1, 1);
    return torch::stack({x0 * cos - x1 * sin, x1 * cos + x0 * sin}, -1).flatten(2);   // [s, h, hd]
}

LlamaTransformer::LlamaTransformer(const LlamaConfig& config, int cacheLen, WeightSet& weights,
                                   const std::string& prefix, WeightPrecision precision, const torch::Device& device)
    : config_(config), cacheLen_(cacheLen), device_(device), rope_(config.headDim, config.maxSeqLen, config.rope) {
    rope_.moveTo(device);
    const auto onDevice = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    const int64_t d = config.dim, qDim = int64_t(config.heads) * config.headDim;
    const int64_t kvDim = int64_t(config.kvHeads) * config.headDim, inter = config.intermediate;
    auto linear = [&](const std::string& name, int64_t out, int64_t in) {
        return Linear(weights.take(name, {out, in}), precision, device);
    };
    auto stacked = [&](std::initializer_list<std::pair<std::string, int64_t>> parts, int64_t in) {
        std::vector<torch::Tensor> rows;
        for (const auto& [name, out] : parts)
            rows.push_back(weights.take(name, {out, in}));
        return Linear(torch::cat(rows, 0), precision, device);
    };
    for (int i = 0; i < config.layers; ++i) {
        const std::string p = prefix + "layers." + std::to_string(i) + ".";
        LlamaLayerWeights w;
        w.saNormScale = weights.take(p + "sa_norm.scale", {d}).to(onDevice);
        w.qkv = stacked({{p + "attn.q_proj.weight", qDim}, {p + "attn.k_proj.weight", kvDim}, {p + "attn.v_proj.weight", kvDim}}, d);
        w.output = linear(p + "attn.output_proj.weight", d, qDim);
        w.mlpNormScale = weights.take(p + "mlp_norm.scale", {d}).to(onDevice);
        w.w13 = stacked({{p + "mlp.w1.weight", inter}, {p + "mlp.w3.weight", inter}}, d);
        w.w2 = linear(p + "mlp.w2.weight", d, inter);
        layers_.push_back(std::move(w));
        streams_.front().push_back(emptyCache());
    }
    normScale_ = weights.take(prefix + "norm.scale", {d}).to(onDevice);
}

KVCache LlamaTransformer::emptyCache() const {
    const auto onDevice = torch::TensorOptions().dtype(torch::kFloat32).device(device_);
    return {torch::zeros({config_.kvHeads, cacheLen_, config_.headDim}, onDevice),
            torch::zeros({config_.kvHeads, cacheLen_, config_.headDim}, onDevice), 0};
}

void LlamaTransformer::setStreamCount(int streams) {
    if (streams < 1)
        throw Error(QStringLiteral("A transformer needs at least one stream, not %1.").arg(streams));
    while (int(streams_.size()) < streams) {
        std::vector<KVCache> caches;
        for (std::size_t i = 0; i < layers_.size(); ++i)
            caches.push_back(emptyCache());
        streams_.push_back(std::move(caches));
    }
    streams_.resize(std::size_t(streams));
    current_ = std::min(current_, streams - 1);
}

void LlamaTransformer::selectStream(int stream) {
    if (stream < 0 || stream >= streamCount())
        throw Error(QStringLiteral("Stream %1 does not exist; the transformer has %2.").arg(stream).arg(streamCount()));
    current_ = stream;
}

void LlamaTransformer::resetCache() {
    // Slots past `size` are never read, so forgetting the count is a reset.
    for (auto& cache : caches())
        cache.size = 0;
}

std::vector<std::pair<torch::Tensor, torch::Tensor>> LlamaTransformer::cacheSnapshot() const {
    std::vector<std::pair<torch::Tensor, torch::Tensor>> snapshot;
    for (const auto& cache : caches())
        snapshot.emplace_back(cache.keys.narrow(1, 0, cache.size).clone(), cache.values.narrow(1, 0, cache.size).clone());
    return snapshot;
}

void LlamaTransformer::restoreCache(const std::vector<std::pair<torch::Tensor, torch::Tensor>>& snapshot) {
    if (snapshot.size() != caches().size())
        throw Error(QStringLiteral("A cache snapshot of %1 layers cannot be restored into %2.").arg(snapshot.size()).arg(caches().size()));
    for (std::size_t i = 0; i < caches().size(); ++i) {
        const int64_t len = snapshot[i].first.size(1);
        caches()[i].keys.narrow(1, 0, len).copy_(snapshot[i].first);
        caches()[i].values.narrow(1, 0, len).copy_(snapshot[i].second);
        caches()[i].size = len;
    }
}

int64_t LlamaTransformer::weightBytes() const {
    int64_t bytes = normScale_.numel() * 4;
    for (const auto& w : layers_)
        for (const Linear* l : {&w.qkv, &w.output, &w.w13, &w.w2})
            bytes += l->weightBytes();
    return bytes + int64_t(layers_.size()) * 2 * config_.dim * 4;
}

torch::Tensor LlamaTransformer::rmsNorm(const torch::Tensor& x, const torch::Tensor& scale) const {
    // torchtune rms_norm.py: x·rsqrt(mean(x²) + eps)·scale
    return x * torch::rsqrt(x.pow(2).mean(-1, true) + config_.normEps) * scale;
}

torch::Tensor LlamaTransformer::attention(const LlamaLayerWeights& w, KVCache& cache, const torch::Tensor& x,
                                          int64_t start, LlamaLayerTrace* trace) const {
    const int64_t s = x.size(0), heads = config_.heads, kvHeads = config_.kvHeads, hd = config_.headDim;
    const int64_t group = heads / kvHeads;
    const auto qkv = w.qkv(x);                                                                     // [s, (h + 2·kv)·hd]
    const auto qRaw = qkv.narrow(1, 0, heads * hd).reshape({s, heads, hd});                     // [s, h, hd]
    const auto kRaw = qkv.narrow(1, heads * hd, kvHeads * hd).reshape({s, kvHeads, hd});        // [s, kv, hd]
    const auto q = rope_.apply(qRaw, start);
    const auto k = rope_.apply(kRaw, start);
    const auto v = qkv.narrow(1, (heads + kvHeads) * hd, kvHeads * hd).reshape({s, kvHeads, hd});
    cache.keys.narrow(1, start, s).copy_(k.transpose(0, 1));
    cache.values.narrow(1, start, s).copy_(v.transpose(0, 1));
    cache.size = start + s;
    const int64_t len = cache.size;
    const auto keys = cache.keys.narrow(1, 0, len);                      // [kv, len, hd]
    const auto values = cache.values.narrow(1, 0, len);

    // Query head h reads key/value head h / group: group the query heads under their kv head.
    const auto qGrouped = q.transpose(0, 1).reshape({kvHeads, group * s, hd});            // [kv, g·s, hd]
    auto scores = torch::bmm(qGrouped, keys.transpose(1, 2)) / std::sqrt(double(hd));     // [kv, g·s, len]
    if (s > 1) {
        // models.py: mask row = tril(ones)[position]: position p sees cache slots 0..p.
        const auto ids = torch::TensorOptions().dtype(torch::kInt64).device(device_);
        const auto slot = torch::arange(len, ids).unsqueeze(0);                           // [1, len]
        const auto position = torch::arange(start, start + s, ids).unsqueeze(1);          // [s, 1]
        const auto hidden = slot.gt(position).repeat({group, 1});                          // [g·s, len]
        scores = scores.masked_fill(hidden, -std::numeric_limits<float>::infinity());
    }
    const auto mixed = torch::bmm(torch::softmax(scores, -1), values);                      // [kv, g·s, hd]
    const auto perHead = mixed.view({heads, s, hd}).transpose(0, 1).reshape({s, heads * hd}); // [s, h·hd]
    const auto projected = w.output(perHead);
    if (trace)
        *trace = {x, qRaw, kRaw, q, k, perHead, projected, {}, {}};
    return projected;
}

torch::Tensor LlamaTransformer::layerForward(int layer, const torch::Tensor& h, int64_t start, LlamaLayerTrace* trace) {
    const auto& w = layers_[std::size_t(layer)];
    const auto afterAttention = h + attention(w, caches()[std::size_t(layer)], rmsNorm(h, w.saNormScale), start, trace);
    const auto gateUp = w.w13(rmsNorm(afterAttention, w.mlpNormScale));   // [s, 2·inter]
    const int64_t inter = config_.intermediate;
    const auto mlp = w.w2(torch::silu(gateUp.narrow(1, 0, inter)) * gateUp.narrow(1, inter, inter));   // SwiGLU
    const auto out = afterAttention + mlp;
    if (trace) {
        trace->mlpOut = mlp;
        trace->out = out;
    }
    return out;
}

LlamaLayerTrace LlamaTransformer::traceLayer(int layer, const torch::Tensor& x, int64_t start) {
    if (layer < 0 || layer >= int(layers_.size()))
        throw Error(QStringLiteral("Layer %1 does not exist; the transformer has %2.").arg(layer).arg(layers_.size()));
    const int64_t held = caches()[std::size_t(layer)].size;
    if (start != held || start + x.size(0) > cacheLen_)
        throw Error(QStringLiteral("Layer %1 was given positions from %2 but its cache holds %3 of %4; positions must follow on.")
                        .arg(layer).arg(start).arg(held).arg(cacheLen_));
    LlamaLayerTrace trace;
    layerForward(layer, x.to(device_, torch::kFloat32), start, &trace);
    return trace;
}

void LlamaTransformer::checkPositions(int64_t start, int64_t s) const {
    if (start != cacheSize())
        throw Error(QStringLiteral("The transformer was given positions from %1 but its cache holds %2; positions must follow on.")
                        .arg(start).arg(cacheSize()));
    if (start + s > cacheLen_ || start + s > config_.maxSeqLen)
        throw Error(QStringLiteral("The transformer's context of %1 positions is full: %2 more cannot follow position %3.")
                        .arg(std::min<int64_t>(cacheLen_, config_.maxSeqLen)).arg(s).arg(start));
}

torch::Tensor LlamaTransformer::forward(const torch::Tensor& x, int64_t start,
                                        const std::function<void(int, const torch::Tensor&)>& observeLayer) {
    const int64_t s = x.size(0);
    checkPositions(start, s);
    if (device_.is_cpu() && s <= Linear::kMaxKernelRows) {
        const auto rows = x.to(torch::kFloat32).contiguous();
        auto out = torch::empty({s, int64_t(config_.dim)});
        step(rows.data_ptr<float>(), s, start, out.data_ptr<float>(), [&](int layer, const float* h) {
            if (observeLayer)
                observeLayer(layer, torch::from_blob(const_cast<float*>(h), {s, int64_t(config_.dim)}).clone());
        });
        return out;
    }
    torch::Tensor h = x.to(device_, torch::kFloat32);                    // [s, dim]
    for (int i = 0; i < int(layers_.size()); ++i) {
        h = layerForward(i, h, start);
        if (observeLayer)
            observeLayer(i, h);
    }
    return rmsNorm(h, normScale_);
}

} // namespace echoforge
