#include "core/codec/mimi/conv.h"

#include "core/codec/mimi/float_weights.h"
#include "core/codec/mimi/matvec.h"
#include "core/common/error.h"

namespace echoforge::mimi {
namespace {

namespace F = torch::nn::functional;
using torch::indexing::Slice;

void requireInput(const torch::Tensor& x, int64_t channels, int64_t stride, const char* what) {
    if (x.dim() != 3 || x.size(1) != channels)
        throw Error(QStringLiteral("The Mimi %1 expects [batch, %2, time] input.").arg(what).arg(channels));
    if (x.size(2) == 0 || x.size(2) % stride != 0)
        throw Error(QStringLiteral("The Mimi %1 needs a positive multiple of %2 time steps, not %3.")
                        .arg(what).arg(stride).arg(x.size(2)));
}

} // namespace

void CausalConv1dState::reset() {
    if (previous.defined())
        previous = torch::zeros_like(previous);
    first = true;
}

CausalConv1d CausalConv1d::load(WeightSet& weights, const std::string& prefix, const ConvSpec& spec) {
    CausalConv1d conv;
    conv.spec_ = spec;
    conv.name_ = prefix;
    conv.weight_ = takeFloat(weights, prefix + ".weight",
                             {spec.outChannels, spec.inChannels / spec.groups, spec.kernelSize});
    if (spec.bias)
        conv.bias_ = takeFloat(weights, prefix + ".bias", {spec.outChannels});
    if (conv.paddingTotal() < 0)
        throw Error(QStringLiteral("The Mimi convolution %1 has a kernel shorter than its stride.")
                        .arg(QString::fromStdString(prefix)));
    return conv;
}

CausalConv1dState CausalConv1d::initialState(int64_t batch) const {
    CausalConv1dState state;
    state.previous = torch::zeros({batch, spec_.inChannels, paddingTotal()});
    state.first = true;
    return state;
}

torch::Tensor CausalConv1d::step(const torch::Tensor& x, CausalConv1dState& state) const {
    requireInput(x, spec_.inChannels, spec_.stride, "convolution");
    const int64_t past = paddingTotal();
    torch::Tensor padded = x;
    if (past > 0) {
        if (spec_.padding == ConvPadding::Replicate && state.first) {
            // conv.py: the first call fills the past with copies of its first step.
            if (x.size(2) < past)
                throw Error(QStringLiteral("The Mimi convolution %1 needs at least %2 steps in its first call.")
                                .arg(QString::fromStdString(name_)).arg(past));
            state.previous = x.index({Slice(), Slice(), Slice(0, 1)}).expand({-1, -1, past});
        }
        if (state.previous.size(0) != x.size(0))
            throw Error("The Mimi streaming state was made for another batch size.");
        padded = torch::cat({state.previous, x}, 2);   // [B, C_in, past + T]
        state.previous = padded.index({Slice(), Slice(), Slice(-past, torch::indexing::None)}).contiguous();
    }
    state.first = false;
    // [B, C_in, past + T] → [B, C_out, T / stride]
    return F::conv1d(padded, weight_,
                     F::Conv1dFuncOptions().bias(bias_).stride(spec_.stride).dilation(spec_.dilation).groups(
                         spec_.groups));
}

torch::Tensor CausalConv1d::forward(const torch::Tensor& x) const {
    CausalConv1dState fresh = initialState(x.dim() == 3 ? x.size(0) : 1);
    return step(x, fresh);
}

void CausalConvTranspose1dState::reset() {
    if (partial.defined())
        partial = torch::zeros_like(partial);
}

CausalConvTranspose1d CausalConvTranspose1d::load(WeightSet& weights, const std::string& prefix,
                                                  const ConvSpec& spec) {
    CausalConvTranspose1d conv;
    conv.spec_ = spec;
    conv.weight_ = takeFloat(weights, prefix + ".weight",
                             {spec.inChannels, spec.outChannels / spec.groups, spec.kernelSize});
    if (spec.bias)
        conv.bias_ = takeFloat(weights, prefix + ".bias", {spec.outChannels});
    if (spec.kernelSize < spec.stride)
        throw Error(QStringLiteral("The Mimi transposed convolution %1 has a kernel shorter than its stride.")
                        .arg(QString::fromStdString(prefix)));
    return conv;
}

CausalConvTranspose1dState CausalConvTranspose1d::initialState(int64_t batch) const {
    return {torch::zeros({batch, spec_.outChannels, spec_.kernelSize - spec_.stride})};
}

torch::Tensor CausalConvTranspose1d::step(const torch::Tensor& x, CausalConvTranspose1dState& state) const {
    requireInput(x, spec_.inChannels, 1, "transposed convolution");
    // [B, C_in, T] → [B, C_out, (T - 1) * stride + K]
    torch::Tensor y = x.size(0) * x.size(2) <= kGemvRows && spec_.groups == 1
                          ? fewStepsForward(x)
                          : F::conv_transpose1d(x, weight_,
                                                F::ConvTranspose1dFuncOptions().bias(bias_).stride(spec_.stride).groups(
                                                    spec_.groups));
    const int64_t tail = spec_.kernelSize - spec_.stride;
    if (tail == 0)
        return y;
    if (state.partial.size(0) != x.size(0))
        throw Error("The Mimi streaming state was made for another batch size.");
    // conv.py: overlap-add the previous call's tail, keep this call's tail (without bias) for the next.
    y.index({Slice(), Slice(), Slice(0, tail)}).add_(state.partial);
    torch::Tensor nextPartial = y.index({Slice(), Slice(), Slice(-tail, torch::indexing::None)});
    if (bias_.defined())
        nextPartial = nextPartial - bias_.unsqueeze(1);
    state.partial = nextPartial.contiguous();
    return y.index({Slice(), Slice(), Slice(0, -tail)});   // [B, C_out, T * stride]
}

// The same transposed convolution for a streaming call of a few steps, where reading the weight
// dominates: each input step's contribution x[:, t] · W[C_in, C_out·K] is one gemv (matvec.h),
// then the K-long contributions overlap-add at stride spacing.
torch::Tensor CausalConvTranspose1d::fewStepsForward(const torch::Tensor& x) const {
    const int64_t B = x.size(0);
    const int64_t T = x.size(2);
    const int64_t K = spec_.kernelSize;
    const int64_t S = spec_.stride;
    const int64_t out = spec_.outChannels;
    // [B, T, C_in] · [C_in, C_out·K] → [B, T, C_out, K]
    const torch::Tensor contributions =
        productInOut(x.transpose(1, 2), weight_.view({spec_.inChannels, out * K})).view({B, T, out, K});
    torch::Tensor y = torch::zeros({B, out, (T - 1) * S + K});
    for (int64_t t = 0; t < T; ++t)
        y.narrow(2, t * S, K).add_(contributions.select(1, t));
    if (bias_.defined())
        y.add_(bias_.unsqueeze(1));
    return y;
}

torch::Tensor CausalConvTranspose1d::forward(const torch::Tensor& x) const {
    CausalConvTranspose1dState fresh = initialState(x.dim() == 3 ? x.size(0) : 1);
    return step(x, fresh);
}

} // namespace echoforge::mimi
