#pragma once
// x·W with W kept as [in, out] (contiguous), for Mimi's linear layers and the big transposed
// convolution. Streaming calls carry only a few rows (2 transformer steps a frame), so the time is
// spent reading W: one BLAS gemv per row over Wᵀ's view streams W about twice as fast as the gemm
// behind torch::linear does for 2 rows (docs/performance.md, Mimi). Many rows go through gemm.

#include <vector>

#include <torch/torch.h>

namespace echoforge::mimi {

// Rows up to which one gemv per row beats one gemm.
inline constexpr int64_t kGemvRows = 4;

// x [..., in] · W [in, out] → [..., out]
inline torch::Tensor productInOut(const torch::Tensor& x, const torch::Tensor& weightInOut) {
    const int64_t in = weightInOut.size(0);
    const int64_t rows = x.numel() / in;
    if (rows > kGemvRows)
        return torch::matmul(x, weightInOut);
    const torch::Tensor flat = x.reshape({rows, in});
    const torch::Tensor columnMajor = weightInOut.t();   // [out, in] view: gemv streams W row by row
    std::vector<torch::Tensor> outputs;
    outputs.reserve(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r)
        outputs.push_back(torch::mv(columnMajor, flat[r]));
    std::vector<int64_t> sizes = x.sizes().vec();
    sizes.back() = weightInOut.size(1);
    return torch::stack(outputs).view(sizes);
}

} // namespace echoforge::mimi
