#include "core/model/linear.h"

namespace echoforge {

torch::Tensor toPrecision(const torch::Tensor& t, WeightPrecision precision) {
    const auto dtype = precision == WeightPrecision::BFloat16 ? torch::kBFloat16 : torch::kFloat32;
    return t.scalar_type() == dtype ? t : t.to(dtype).contiguous();
}

Linear::Linear(const torch::Tensor& weight, WeightPrecision precision) : weight_(toPrecision(weight, precision)) {}

torch::Tensor Linear::operator()(const torch::Tensor& x) const {
    if (weight_.scalar_type() == torch::kBFloat16)
        return torch::linear(x.to(torch::kBFloat16), weight_).to(torch::kFloat32);
    if (x.numel() == x.size(-1)) {
        // One row: a matrix-vector product streams W once (gemv), unlike linear's gemm path.
        auto sizes = x.sizes().vec();
        sizes.back() = weight_.size(0);
        return torch::mv(weight_, x.reshape({-1})).view(sizes);
    }
    return torch::linear(x, weight_);
}

} // namespace echoforge
