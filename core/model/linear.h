#pragma once
// A bias-free linear layer y = x·Wᵀ (W: [out, in]) with the kernel chosen for decoding, where
// nearly every product has one row and the time is spent reading W. Measured on this project's
// CPUs (docs/performance.md): fp32 `linear` with one row goes through gemm at ~10 GB/s while
// `mv` streams W at ~24 GB/s; a bf16 `linear` reads ~28 GB/s on AVX-512 BF16.

#include <torch/torch.h>

#include "core/model/precision.h"

namespace echoforge {

class Linear {
public:
    Linear() = default;
    // `weight` [out, in] in any float dtype; kept in `precision` (a copy unless it already is).
    Linear(const torch::Tensor& weight, WeightPrecision precision);

    // x [..., in] fp32 → [..., out] fp32.
    torch::Tensor operator()(const torch::Tensor& x) const;

    int64_t inFeatures() const { return weight_.size(1); }
    int64_t outFeatures() const { return weight_.size(0); }
    int64_t weightBytes() const { return weight_.numel() * int64_t(weight_.element_size()); }
    const torch::Tensor& weight() const { return weight_; }

private:
    torch::Tensor weight_;   // [out, in]
};

// Weights converted to the storage dtype of a precision (norm scales and embeddings included).
torch::Tensor toPrecision(const torch::Tensor& t, WeightPrecision precision);

} // namespace echoforge
