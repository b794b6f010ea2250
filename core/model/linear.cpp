#include "core/model/linear.h"

#include <ATen/Parallel.h>

namespace echoforge {

namespace {

// Splitting a product across threads costs a wake-up; each thread should stream at least this
// many bytes of weights to be worth one.
constexpr int64_t kBytesPerThreadChunk = 64 * 1024;
// Weight rows turned back into fp32 at a time for products of many activation rows.
constexpr int64_t kRowsPerGemmBlock = 256;

// Groups of rows one thread takes at least, for groups of `groupBytes` bytes of weights.
int64_t groupGrain(int64_t groupBytes) { return std::max<int64_t>(1, kBytesPerThreadChunk / groupBytes); }

std::uint16_t* bits(const torch::Tensor& bf16) { return reinterpret_cast<std::uint16_t*>(bf16.data_ptr<at::BFloat16>()); }

} // namespace

torch::Tensor toPrecision(const torch::Tensor& t, WeightPrecision precision) {
    // int8 is for matrices (Linear); what is looked up or scaled (embeddings, norms) stays bf16.
    const auto dtype = precision == WeightPrecision::Float32 ? torch::kFloat32 : torch::kBFloat16;
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
    if (precision == WeightPrecision::Int8) {
        int8Layout_ = {layout_.out, layout_.in};
        const auto rowMajor = weight.to(torch::kFloat32).contiguous();
        int8_ = torch::empty({int8Layout_.weightCount()}, torch::kInt8);
        int8Scales_ = torch::empty({int8Layout_.scaleCount()});
        at::parallel_for(0, int8Layout_.groups(), 1, [&](int64_t begin, int64_t end) {
            kernels::quantizeInt8(rowMajor.data_ptr<float>(), int8Layout_, int8_.data_ptr<std::int8_t>(),
                                  int8Scales_.data_ptr<float>(), begin, end);
        });
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
    const bool few = n <= kernels::kMaxRowsPerPass;
    if (int8_.defined()) {
        if (few)
            return int8FewRows(rows).view(sizes);
        return gemmByBlocks(rows, [this](int64_t first, int64_t count, float* out) {
                   kernels::dequantizeInt8(int8_.data_ptr<std::int8_t>(), int8Scales_.data_ptr<float>(), int8Layout_,
                                           first, first + count, out);
               }).view(sizes);
    }
    if (few)
        return bf16FewRows(rows).view(sizes);
    return gemmByBlocks(rows, [this](int64_t first, int64_t count, float* out) {
               kernels::deinterleaveToFloat(bits(bf16_), layout_, first, first + count, out);
           }).view(sizes);
}

int64_t Linear::weightBytes() const {
    const int64_t elements = layout_.out * layout_.in;
    switch (precision_) {
    case WeightPrecision::Float32: return elements * 4;
    case WeightPrecision::BFloat16: return elements * 2;
    case WeightPrecision::Int8: break;
    }
    return elements + elements / kernels::Int8Layout::kBlock * int64_t(sizeof(float));
}

torch::Tensor Linear::bf16FewRows(const torch::Tensor& x) const {
    const int64_t n = x.size(0);
    auto packedX = torch::empty({n * layout_.paddedIn()});
    const auto xRows = kernels::packRows(x.data_ptr<float>(), n, layout_, packedX.data_ptr<float>());
    auto y = torch::empty({n, layout_.out});
    const int64_t grain = groupGrain(kernels::kRowsPerGroup * layout_.paddedIn() * kernels::InterleavedLayout::kElementBytes);
    const std::uint16_t* weights = bits(bf16_);
    float* result = y.data_ptr<float>();
    at::parallel_for(0, layout_.groups(), grain, [&](int64_t begin, int64_t end) {
        kernels::rowProduct(weights, layout_, xRows, result, begin, end);
    });
    return y;
}

torch::Tensor Linear::int8FewRows(const torch::Tensor& x) const {
    const int64_t n = x.size(0), padded = int8Layout_.paddedIn();
    auto xq = torch::empty({n * padded}, torch::kInt8);
    auto xScales = torch::empty({n * padded / kernels::Int8Layout::kBlock});
    kernels::quantizeRows(x.data_ptr<float>(), n, int8Layout_, xq.data_ptr<std::int8_t>(), xScales.data_ptr<float>());
    auto y = torch::empty({n, layout_.out});
    const int64_t grain = groupGrain(kernels::kRowsPerGroup * padded);
    float* result = y.data_ptr<float>();
    at::parallel_for(0, int8Layout_.groups(), grain, [&](int64_t begin, int64_t end) {
        kernels::int8RowProduct(int8_.data_ptr<std::int8_t>(), int8Scales_.data_ptr<float>(), int8Layout_,
                                xq.data_ptr<std::int8_t>(), xScales.data_ptr<float>(), n, result, begin, end);
    });
    return y;
}

torch::Tensor Linear::gemmByBlocks(const torch::Tensor& x,
                                   const std::function<void(int64_t, int64_t, float*)>& toFloat) const {
    auto y = torch::empty({x.size(0), layout_.out});
    auto block = torch::empty({std::min(kRowsPerGemmBlock, layout_.out), layout_.in});
    for (int64_t first = 0; first < layout_.out; first += kRowsPerGemmBlock) {
        const int64_t n = std::min(kRowsPerGemmBlock, layout_.out - first);
        float* target = block.data_ptr<float>();
        at::parallel_for(0, n, kernels::kRowsPerGroup, [&](int64_t begin, int64_t end) {
            toFloat(first + begin, end - begin, target + begin * layout_.in);
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
    if (int8_.defined())
        kernels::dequantizeInt8(int8_.data_ptr<std::int8_t>(), int8Scales_.data_ptr<float>(), int8Layout_, 0, layout_.out,
                                w.data_ptr<float>());
    else
        kernels::deinterleaveToFloat(bits(bf16_), layout_, 0, layout_.out, w.data_ptr<float>());
    return w;
}

} // namespace echoforge
