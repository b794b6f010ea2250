#pragma once
// A bias-free linear layer y = x·Wᵀ (W: [out, in]) built for decoding, where nearly every product
// has one or two rows (a few more when streams are batched) and the time is spent reading W.
// W is packed in its weight format (weight_format.h: fp32, bf16, int8 or 4-bit, rows interleaved
// in groups of four), and products of up to kMaxKernelRows rows go through that format's
// hand-written kernels, split across threads by groups of rows. Measured on this project's CPUs
// (docs/performance.md): torch's fp32 `linear` with one row goes through gemm at ~10 GB/s, its
// bf16 `linear` reads ~1.5 GB/s on AVX2-only CPUs, while the kernels stream W at memory speed.
// Products of more rows (a prompt) go through the kernels in passes of kMaxKernelRows rows, or,
// for fp32 weights, through gemm (W turned into fp32 a block at a time for the others). On a
// CUDA device W stays row-major (int8 and 4-bit as bf16 there) and every product is torch's `linear`.

#include <functional>

#include <torch/torch.h>

#include "core/model/precision.h"
#include "core/model/weight_format.h"

namespace echoforge {

class Linear {
public:
    // Rows one product sends through the kernels; operator() takes more in passes of this many,
    // or through gemm for fp32 weights.
    static constexpr int64_t kMaxKernelRows = 16;

    Linear() = default;
    // `weight` [out, in] in any float dtype, stored in `precision` on `device`.
    Linear(const torch::Tensor& weight, WeightPrecision precision, const torch::Device& device = torch::kCPU);

    // x [..., in] fp32 → [..., out] fp32.
    torch::Tensor operator()(const torch::Tensor& x) const;
    // The same on raw memory, CPU weights only: x [rows, in] → y [rows, out], rows ≤ kMaxKernelRows.
    // No torch operation: the decoder's step calls this in its loop.
    void multiply(const float* x, int64_t rows, float* y) const;

    int64_t inFeatures() const { return shape_.in; }
    int64_t outFeatures() const { return shape_.out; }
    WeightPrecision precision() const { return precision_; }
    bool onCpu() const { return !gpu_.defined(); }
    // Bytes one product reads: the weights, and for int8 and 4-bit their scales.
    int64_t weightBytes() const;
    // W as a row-major fp32 [out, in] tensor.
    torch::Tensor weightAsFloat() const;

private:
    // x [n, in]: W turned back into fp32 a block of rows at a time, then gemm.
    torch::Tensor gemmByBlocks(const torch::Tensor& x) const;
    const std::byte* packed() const { return reinterpret_cast<const std::byte*>(packed_.data_ptr<std::uint8_t>()); }

    kernels::MatrixShape shape_;
    WeightPrecision precision_ = WeightPrecision::Float32;
    const kernels::WeightFormat* format_ = nullptr;
    torch::Tensor packed_;   // on the CPU: W as format_ packs it, bytes
    torch::Tensor gpu_;      // on a CUDA device: W [out, in] in its precision (bf16 for int8 and 4-bit)
};

// Weights converted to the storage dtype of a precision (norm scales and embeddings included).
torch::Tensor toPrecision(const torch::Tensor& t, WeightPrecision precision);

} // namespace echoforge
