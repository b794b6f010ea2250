#pragma once
// A bias-free linear layer y = x·Wᵀ (W: [out, in]) built for decoding, where nearly every product
// has one or two rows and the time is spent reading W. Measured on this project's CPUs
// (docs/performance.md): fp32 `linear` with one row goes through gemm at ~10 GB/s while `mv`
// streams W at ~28 GB/s, so fp32 rows go through `mv`. bf16 weights are kept interleaved for the
// hand-written kernels of row_kernels.h (~28 GB/s with or without AVX-512 BF16); products of many
// rows (a prompt) turn them back into fp32 a block at a time and use gemm. int8 weights go the
// same way through int8_kernels.h. On a CUDA device W stays row-major (int8 as bf16 there) and
// every product is torch's `linear`.

#include <functional>

#include <torch/torch.h>

#include "core/model/int8_kernels.h"
#include "core/model/precision.h"
#include "core/model/row_kernels.h"

namespace echoforge {

class Linear {
public:
    Linear() = default;
    // `weight` [out, in] in any float dtype, stored in `precision` on `device`.
    Linear(const torch::Tensor& weight, WeightPrecision precision, const torch::Device& device = torch::kCPU);

    // x [..., in] fp32 → [..., out] fp32.
    torch::Tensor operator()(const torch::Tensor& x) const;

    int64_t inFeatures() const { return layout_.in; }
    int64_t outFeatures() const { return layout_.out; }
    WeightPrecision precision() const { return precision_; }
    // Bytes one product reads: the weights, and for int8 their scales.
    int64_t weightBytes() const;
    // W as a row-major fp32 [out, in] tensor.
    torch::Tensor weightAsFloat() const;

private:
    torch::Tensor bf16FewRows(const torch::Tensor& x) const;    // x [n ≤ kMaxRowsPerPass, in]
    torch::Tensor int8FewRows(const torch::Tensor& x) const;
    // x [n, in]: W turned back into fp32 a block of rows at a time by `toFloat(first, count, out)`.
    torch::Tensor gemmByBlocks(const torch::Tensor& x,
                               const std::function<void(int64_t, int64_t, float*)>& toFloat) const;

    kernels::InterleavedLayout layout_;
    WeightPrecision precision_ = WeightPrecision::Float32;
    torch::Tensor fp32_;   // fp32 weights on the CPU: W [out, in]
    torch::Tensor bf16_;   // bf16 weights on the CPU: layout_.storageElements() of W, interleaved
    torch::Tensor int8_;   // int8 weights on the CPU: int8Layout_.weightCount(), interleaved
    torch::Tensor int8Scales_;   // and their scales, int8Layout_.scaleCount() fp32
    kernels::Int8Layout int8Layout_;
    torch::Tensor gpu_;    // weights on a CUDA device: W [out, in] in their precision
};

// Weights converted to the storage dtype of a precision (norm scales and embeddings included).
torch::Tensor toPrecision(const torch::Tensor& t, WeightPrecision precision);

} // namespace echoforge
