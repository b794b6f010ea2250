#pragma once
// Split residual vector quantizer (moshi quantization/vq.py SplitResidualVectorQuantizer,
// ResidualVectorQuantizer; core_vq.py ResidualVectorQuantization, EuclideanCodebook).
//
// `rvq_first` holds the semantic codebook(s), `rvq_rest` the acoustic ones. Both project the
// same latent (1×1 convolutions, no bias) and quantize it residually on their own; the decoded
// latent is the sum of both groups' output projections.

#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/codec/mimi/mimi_config.h"
#include "core/codec/mimi/trace.h"

namespace echoforge {
class WeightSet;
}

namespace echoforge::mimi {

class ResidualVectorQuantizer {
public:
    // Binds `<prefix>.input_proj.weight`, `<prefix>.output_proj.weight` and each codebook's
    // `<prefix>.vq.layers.N._codebook.{embedding_sum, cluster_usage, _initialized}`.
    static ResidualVectorQuantizer load(WeightSet& weights, const std::string& prefix, int codebooks,
                                        const QuantizerConfig& config);

    int codebookCount() const { return static_cast<int>(codebooks_.size()); }
    // The effective vectors of codebook i: embedding_sum / clamp(cluster_usage, ε)  [bins, dim].
    const torch::Tensor& codebook(int i) const { return codebooks_[static_cast<size_t>(i)]; }

    // latent [B, C, T] → codes [B, K, T] (int64); `traceName` prefixes the recorded residuals.
    torch::Tensor encode(const torch::Tensor& latent, MimiTrace* trace, const std::string& traceName) const;
    // codes [B, k, T] with 1 ≤ k ≤ K → latent [B, C, T].
    torch::Tensor decode(const torch::Tensor& codes, MimiTrace* trace, const std::string& traceName) const;

private:
    torch::Tensor inputProj_;    // [dim, C, 1]
    torch::Tensor outputProj_;   // [C, dim, 1]
    std::vector<torch::Tensor> codebooks_;
};

class SplitResidualVectorQuantizer {
public:
    // Binds `quantizer.rvq_first.*` and `quantizer.rvq_rest.*`.
    static SplitResidualVectorQuantizer load(WeightSet& weights, const QuantizerConfig& config);

    int numCodebooks() const { return first_.codebookCount() + rest_.codebookCount(); }
    int cardinality() const { return bins_; }

    // latent [B, C, T] → codes [B, K, T].
    torch::Tensor encode(const torch::Tensor& latent, MimiTrace* trace = nullptr) const;
    // codes [B, k, T] with semantic ≤ k ≤ K, each in [0, bins) → latent [B, C, T].
    torch::Tensor decode(const torch::Tensor& codes, MimiTrace* trace = nullptr) const;
    // Records the effective codebooks under the golden set's names (quantizer.rvq_*_codebookN).
    void traceCodebooks(MimiTrace& trace) const;

private:
    ResidualVectorQuantizer first_;
    ResidualVectorQuantizer rest_;
    int semantic_ = 1;
    int bins_ = 0;
};

} // namespace echoforge::mimi
