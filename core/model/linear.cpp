#include "core/model/linear.h"

#include <ATen/Parallel.h>

namespace echoforge {

namespace {

// Splitting a product across threads costs a wake-up; each thread should stream at least this
// many bytes of weights to be worth one.
constexpr int64_t kBytesPerThreadChunk = 64 * 1024;
// Weight rows turned back into fp32 at a time for products of many activation rows.
constexpr int64_t kRowsPerGemmBlock = 256;

// Activation rows prepared for the kernels, reused between products of one thread.
std::vector<std::byte>& scratch(std::size_t bytes) {
    thread_local std::vector<std::byte> buffer;
    if (buffer.size() < bytes)
        buffer.resize(bytes);
    return buffer;
}

} // namespace

torch::Tensor toPrecision(const torch::Tensor& t, WeightPrecision precision) {
    // int8 and 4-bit are for matrices (Linear); what is looked up or scaled (embeddings, norms) stays bf16.
    const auto dtype = precision == WeightPrecision::Float32 ? torch::kFloat32 : torch::kBFloat16;
    return t.scalar_type() == dtype ? t.contiguous() : t.to(dtype).contiguous();
}

Linear::Linear(const torch::Tensor& weight, WeightPrecision precision, const torch::Device& device)
    : shape_{weight.size(0), weight.size(1)}, precision_(precision), format_(&kernels::weightFormat(precision)) {
    if (!device.is_cpu()) {
        gpu_ = toPrecision(weight, precision).to(device);
        return;
    }
    const auto rowMajor = weight.to(torch::kFloat32).contiguous();
    packed_ = torch::empty({format_->packedBytes(shape_)}, torch::kUInt8);
    auto* target = reinterpret_cast<std::byte*>(packed_.data_ptr<std::uint8_t>());
    at::parallel_for(0, shape_.groups(), 1, [&](int64_t begin, int64_t end) {
        format_->pack(rowMajor.data_ptr<float>(), shape_, target, begin, end);
    });
}

void Linear::multiply(const float* x, int64_t rows, float* y) const {
    TORCH_CHECK(onCpu() && rows <= kMaxKernelRows, "Linear::multiply takes up to 16 rows on the CPU");
    auto& prepared = scratch(std::size_t(rows * format_->preparedRowBytes(shape_)));
    format_->prepare(x, rows, shape_, prepared.data());
    // Threads take whole kernel tiles (format_->groupsPerTile groups), so none computes a tile twice.
    const int64_t groups = shape_.groups(), perTile = format_->groupsPerTile;
    const int64_t tileBytes = format_->packedBytes(shape_) / groups * perTile;
    const int64_t grain = std::max<int64_t>(1, kBytesPerThreadChunk / tileBytes);
    const std::byte* rowsReady = prepared.data();
    at::parallel_for(0, (groups + perTile - 1) / perTile, grain, [&](int64_t begin, int64_t end) {
        kernels::multiplyGroups(*format_, packed(), shape_, rowsReady, rows, y, begin * perTile, std::min(groups, end * perTile));
    });
}

torch::Tensor Linear::operator()(const torch::Tensor& x) const {
    auto sizes = x.sizes().vec();
    sizes.back() = shape_.out;
    if (gpu_.defined())
        return torch::linear(x.to(gpu_.device(), gpu_.scalar_type()), gpu_).to(torch::kFloat32);
    const auto rows = x.reshape({-1, shape_.in}).to(torch::kFloat32).contiguous();   // [n, in]
    const int64_t n = rows.size(0);
    // A prompt's rows (more than the kernels take in one product): fp32 weights go to gemm as
    // they are; packed ones through their kernels, kMaxKernelRows rows a pass, since gemm would
    // first turn all of W into fp32. Measured on CSM-1B (AMD EPYC, 2 threads; prompt + first
    // frame): 40 frames in 4-bit 1,494 → 660 ms, int8 1,438 → 579 ms, bf16 1,646 → 961 ms; 240
    // frames in 4-bit 6,501 → 2,660 ms. fp32 was a little slower through its kernels (2,314 →
    // 2,661 ms), and the golden cases' prompts stay on the path they were proven on.
    if (n > kMaxKernelRows && precision_ == WeightPrecision::Float32)
        return gemmByBlocks(rows).view(sizes);
    auto y = torch::empty({n, shape_.out});
    for (int64_t first = 0; first < n; first += kMaxKernelRows)
        multiply(rows.data_ptr<float>() + first * shape_.in, std::min(kMaxKernelRows, n - first),
                 y.data_ptr<float>() + first * shape_.out);
    return y.view(sizes);
}

int64_t Linear::weightBytes() const {
    if (gpu_.defined())
        return shape_.out * shape_.in * int64_t(gpu_.element_size());
    return format_->weightBytes(shape_);
}

torch::Tensor Linear::gemmByBlocks(const torch::Tensor& x) const {
    auto y = torch::empty({x.size(0), shape_.out});
    auto block = torch::empty({std::min(kRowsPerGemmBlock, shape_.out), shape_.in});
    for (int64_t first = 0; first < shape_.out; first += kRowsPerGemmBlock) {
        const int64_t n = std::min(kRowsPerGemmBlock, shape_.out - first);
        float* target = block.data_ptr<float>();
        at::parallel_for(0, n, kernels::kRowsPerGroup, [&](int64_t begin, int64_t end) {
            format_->unpack(packed(), shape_, first + begin, first + end, target + begin * shape_.in);
        });
        y.narrow(1, first, n).copy_(torch::mm(x, block.narrow(0, 0, n).t()));
    }
    return y;
}

torch::Tensor Linear::weightAsFloat() const {
    if (gpu_.defined())
        return gpu_.to(torch::kCPU, torch::kFloat32);
    auto w = torch::empty({shape_.out, shape_.in});
    format_->unpack(packed(), shape_, 0, shape_.out, w.data_ptr<float>());
    return w;
}

} // namespace echoforge
