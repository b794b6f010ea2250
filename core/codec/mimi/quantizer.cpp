#include "core/codec/mimi/quantizer.h"

#include "core/codec/mimi/float_weights.h"
#include "core/common/error.h"

namespace echoforge::mimi {
namespace {

namespace F = torch::nn::functional;
using torch::indexing::Slice;

torch::Tensor project(const torch::Tensor& x, const torch::Tensor& weight) {
    return F::conv1d(x, weight);   // 1×1 Conv1d without bias, as vq.py's projections
}

} // namespace

ResidualVectorQuantizer ResidualVectorQuantizer::load(WeightSet& weights, const std::string& prefix, int codebooks,
                                                      const QuantizerConfig& config) {
    const int64_t dim = config.dimension;
    const int64_t bins = config.bins;
    ResidualVectorQuantizer rvq;
    // SplitResidualVectorQuantizer forces both projections, even where the widths agree.
    rvq.inputProj_ = takeFloat(weights, prefix + ".input_proj.weight", {dim, config.inputDimension, 1});
    rvq.outputProj_ = takeFloat(weights, prefix + ".output_proj.weight", {config.outputDimension, dim, 1});
    for (int i = 0; i < codebooks; ++i) {
        const std::string p = prefix + ".vq.layers." + std::to_string(i) + "._codebook.";
        const torch::Tensor sum = takeFloat(weights, p + "embedding_sum", {bins, dim});
        const torch::Tensor usage = takeFloat(weights, p + "cluster_usage", {bins});
        // Training state only (k-means initialisation done); inference does not read it.
        weights.take(p + "_initialized", {1});
        // core_vq.py EuclideanCodebook.embedding
        rvq.codebooks_.push_back((sum / usage.clamp_min(config.usageEpsilon).unsqueeze(1)).contiguous());
    }
    return rvq;
}

torch::Tensor ResidualVectorQuantizer::encode(const torch::Tensor& latent, MimiTrace* trace,
                                              const std::string& traceName) const {
    torch::Tensor residual = project(latent, inputProj_);   // [B, dim, T]
    traceRecord(trace, traceName + "_input_proj", residual);
    const int64_t B = residual.size(0);
    const int64_t dim = residual.size(1);
    const int64_t T = residual.size(2);
    std::vector<torch::Tensor> codes;
    for (size_t i = 0; i < codebooks_.size(); ++i) {
        traceRecord(trace, traceName + "_residual" + std::to_string(i), residual);
        // core_vq.py _quantize: nearest vector by Euclidean distance, [B·T, dim] → [B·T]
        const torch::Tensor flat = residual.transpose(1, 2).reshape({B * T, dim});
        const torch::Tensor nearest = torch::cdist(flat.unsqueeze(0), codebooks_[i].unsqueeze(0), 2.0)[0].argmin(-1);
        const torch::Tensor index = nearest.view({B, T});
        const torch::Tensor quantized = F::embedding(index, codebooks_[i]).transpose(1, 2);   // [B, dim, T]
        residual = residual - quantized;
        codes.push_back(index);
    }
    return torch::stack(codes, 1);   // [B, K, T]
}

torch::Tensor ResidualVectorQuantizer::decode(const torch::Tensor& codes, MimiTrace* trace,
                                              const std::string& traceName) const {
    torch::Tensor sum;
    for (int64_t i = 0; i < codes.size(1); ++i) {
        const torch::Tensor vectors = F::embedding(codes.select(1, i), codebooks_[static_cast<size_t>(i)]);
        const torch::Tensor quantized = vectors.transpose(1, 2);   // [B, T, dim] → [B, dim, T]
        sum = sum.defined() ? sum + quantized : quantized;
    }
    traceRecord(trace, traceName + "_sum", sum);
    torch::Tensor out = project(sum, outputProj_);   // [B, C, T]
    traceRecord(trace, traceName + "_out", out);
    return out;
}

SplitResidualVectorQuantizer SplitResidualVectorQuantizer::load(WeightSet& weights, const QuantizerConfig& config) {
    SplitResidualVectorQuantizer q;
    q.semantic_ = config.semanticCodebooks;
    q.bins_ = config.bins;
    q.first_ = ResidualVectorQuantizer::load(weights, "quantizer.rvq_first", config.semanticCodebooks, config);
    q.rest_ = ResidualVectorQuantizer::load(weights, "quantizer.rvq_rest",
                                            config.numCodebooks - config.semanticCodebooks, config);
    return q;
}

torch::Tensor SplitResidualVectorQuantizer::encode(const torch::Tensor& latent, MimiTrace* trace) const {
    if (latent.size(2) == 0)
        return torch::empty({latent.size(0), numCodebooks(), 0}, torch::kLong);
    const torch::Tensor semantic = first_.encode(latent, trace, "rvq_first");
    const torch::Tensor acoustic = rest_.encode(latent, trace, "rvq_rest");   // the same latent, not a residual
    return torch::cat({semantic, acoustic}, 1);
}

torch::Tensor SplitResidualVectorQuantizer::decode(const torch::Tensor& codes, MimiTrace* trace) const {
    if (codes.dim() != 3 || codes.size(1) < semantic_ || codes.size(1) > numCodebooks())
        throw Error(QStringLiteral("Mimi codes must be [batch, codebooks, frames] with %1 to %2 codebooks.")
                        .arg(semantic_).arg(numCodebooks()));
    if (c10::isFloatingType(codes.scalar_type()) || codes.scalar_type() == torch::kBool)
        throw Error("Mimi codes must be integers.");
    const torch::Tensor ids = codes.to(torch::kLong);
    if (ids.numel() > 0 && (ids.min().item<int64_t>() < 0 || ids.max().item<int64_t>() >= bins_))
        throw Error(QStringLiteral("A Mimi code is outside 0…%1.").arg(bins_ - 1));
    torch::Tensor latent = first_.decode(ids.index({Slice(), Slice(0, semantic_)}), trace, "rvq_first");
    if (ids.size(1) > semantic_)
        latent = latent + rest_.decode(ids.index({Slice(), Slice(semantic_, torch::indexing::None)}), trace,
                                       "rvq_rest");
    traceRecord(trace, "latent", latent);
    return latent;   // [B, C, T]
}

void SplitResidualVectorQuantizer::traceCodebooks(MimiTrace& trace) const {
    for (int i = 0; i < first_.codebookCount(); ++i)
        trace.tensors["quantizer.rvq_first_codebook" + std::to_string(i)] = first_.codebook(i);
    for (int i = 0; i < rest_.codebookCount(); ++i)
        trace.tensors["quantizer.rvq_rest_codebook" + std::to_string(i)] = rest_.codebook(i);
}

} // namespace echoforge::mimi
