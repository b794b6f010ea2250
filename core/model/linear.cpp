#include "core/model/linear.h"

#include <ATen/Parallel.h>

namespace echoforge {

namespace {

// Splitting a product across threads costs a wake-up; each thread should stream at least this
// many bytes of weights to be worth one.
constexpr int64_t kBytesPerThreadChunk = 64 * 1024;
// Weight rows turned back into fp32 at a time for products of many activation rows.
constexpr int64_t kRowsPerGemmBlock = 256;

std::uint16_t* bits(const torch::Tensor& bf16) { return reinterpret_cast<std::uint16_t*>(bf16.data_ptr<at::BFloat16>()); }

} // namespace

torch::Tensor toPrecision(const torch::Tensor& t, WeightPrecision precision) {
    const auto dtype = precision == WeightPrecision::BFloat16 ? torch::kBFloat16 : torch::kFloat32;
    return t.scalar_type() == dtype ? t.contiguous() : t.to(dtype).contiguous();
}

Linear::Linear(const torch::Tensor& weight, WeightPrecision precision, const torch::Device& device)
    : precision_(precision) {
    layout_.out = weight.size(0);
    layout_.in = weight.size(1);
    if (!device.is_cpu()) {
        gpu_ = toPrecision(weight, precision).to(device);
        return;
    }
    if (precision == WeightPrecision::Float32) {
        fp32_ = toPrecision(weight, precision);
        return;
    }
    const auto rowMajor = toPrecision(weight, precision);
    bf16_ = torch::empty({layout_.storageElements()}, torch::kBFloat16);
    at::parallel_for(0, layout_.groups(), 1, [&](int64_t begin, int64_t end) {
        kernels::interleave(bits(rowMajor), layout_, bits(bf16_), begin, end);
    });
}

torch::Tensor Linear::operator()(const torch::Tensor& x) const {
    auto sizes = x.sizes().vec();
    sizes.back() = layout_.out;
    if (gpu_.defined())
        return torch::linear(x.to(gpu_.device(), gpu_.scalar_type()), gpu_).to(torch::kFloat32);
    const auto rows = x.reshape({-1, layout_.in}).to(torch::kFloat32).contiguous();   // [n, in]
    const int64_t n = rows.size(0);
    if (fp32_.defined()) {
        if (n > kernels::kMaxRowsPerPass)
            return torch::linear(rows, fp32_).view(sizes);
        // A matrix-vector product per row: each streams W at the memory's speed, where linear's
        // gemm manages about a third of it.
        auto y = torch::empty({n, layout_.out});
        for (int64_t r = 0; r < n; ++r) {
            auto row = y[r];
            torch::mv_out(row, fp32_, rows[r]);
        }
        return y.view(sizes);
    }
    return (n <= kernels::kMaxRowsPerPass ? bf16FewRows(rows) : bf16ManyRows(rows)).view(sizes);
}

torch::Tensor Linear::bf16FewRows(const torch::Tensor& x) const {
    const int64_t n = x.size(0);
    auto packedX = torch::empty({n * layout_.paddedIn()});
    const auto xRows = kernels::packRows(x.data_ptr<float>(), n, layout_, packedX.data_ptr<float>());
    auto y = torch::empty({n, layout_.out});
    const int64_t groupBytes = kernels::kRowsPerGroup * layout_.paddedIn() * 2;
    const int64_t grain = std::max<int64_t>(1, kBytesPerThreadChunk / groupBytes);
    const std::uint16_t* weights = bits(bf16_);
    float* result = y.data_ptr<float>();
    at::parallel_for(0, layout_.groups(), grain, [&](int64_t begin, int64_t end) {
        kernels::rowProduct(weights, layout_, xRows, result, begin, end);
    });
    return y;
}

torch::Tensor Linear::bf16ManyRows(const torch::Tensor& x) const {
    auto y = torch::empty({x.size(0), layout_.out});
    auto block = torch::empty({std::min(kRowsPerGemmBlock, layout_.out), layout_.in});
    for (int64_t first = 0; first < layout_.out; first += kRowsPerGemmBlock) {
        const int64_t n = std::min(kRowsPerGemmBlock, layout_.out - first);
        float* target = block.data_ptr<float>();
        at::parallel_for(0, n, kernels::kRowsPerGroup, [&](int64_t begin, int64_t end) {
            kernels::deinterleaveToFloat(bits(bf16_), layout_, first + begin, first + end, target + begin * layout_.in);
        });
        y.narrow(1, first, n).copy_(torch::mm(x, block.narrow(0, 0, n).t()));
    }
    return y;
}

torch::Tensor Linear::weightAsFloat() const {
    if (gpu_.defined())
        return gpu_.to(torch::kCPU, torch::kFloat32);
    if (fp32_.defined())
        return fp32_;
    auto w = torch::empty({layout_.out, layout_.in});
    kernels::deinterleaveToFloat(bits(bf16_), layout_, 0, layout_.out, w.data_ptr<float>());
    return w;
}

} // namespace echoforge
