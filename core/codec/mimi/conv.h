#pragma once
// Causal 1-d convolutions with explicit streaming state (moshi modules/conv.py
// StreamingConv1d, StreamingConvTranspose1d). Tensors are [B, C, T].
//
// The whole-sequence call is the streaming call on a fresh state, as in the reference (a
// module without streaming state builds a fresh one per call), so both paths share one code.

#include <string>

#include <torch/torch.h>

namespace echoforge {
class WeightSet;
}

namespace echoforge::mimi {

enum class ConvPadding {
    Zeros,       // SEANet: the past before the first step is silence
    Replicate,   // resample.py ConvDownsample1d: the past repeats the first step
};

struct ConvSpec {
    int64_t inChannels = 0;
    int64_t outChannels = 0;
    int64_t kernelSize = 1;
    int64_t stride = 1;
    int64_t dilation = 1;
    int64_t groups = 1;
    bool bias = true;
    ConvPadding padding = ConvPadding::Zeros;
};

// What a causal convolution remembers between calls: the last (kernel_eff - stride) input steps.
struct CausalConv1dState {
    torch::Tensor previous;    // [B, C_in, kernel_eff - stride]
    bool first = true;         // replicate padding copies the first step of the first call

    void reset();
};

class CausalConv1d {
public:
    CausalConv1d() = default;
    // Binds `<prefix>.weight` [C_out, C_in / groups, K] and, if spec.bias, `<prefix>.bias` [C_out].
    static CausalConv1d load(WeightSet& weights, const std::string& prefix, const ConvSpec& spec);

    CausalConv1dState initialState(int64_t batch) const;
    // x [B, C_in, T] with T a multiple of the stride → [B, C_out, T / stride].
    torch::Tensor step(const torch::Tensor& x, CausalConv1dState& state) const;
    torch::Tensor forward(const torch::Tensor& x) const;

    int64_t stride() const { return spec_.stride; }
    // moshi conv.py `_padding_total`: the past a step needs, all of it on the left.
    int64_t paddingTotal() const { return (spec_.kernelSize - 1) * spec_.dilation + 1 - spec_.stride; }

private:
    ConvSpec spec_;
    std::string name_;
    torch::Tensor weight_;
    torch::Tensor bias_;
};

// What a causal transposed convolution carries over: the overlapping tail of the last output.
struct CausalConvTranspose1dState {
    torch::Tensor partial;     // [B, C_out, K - stride], bias not included

    void reset();
};

class CausalConvTranspose1d {
public:
    CausalConvTranspose1d() = default;
    // Binds `<prefix>.weight` [C_in, C_out / groups, K] and, if spec.bias, `<prefix>.bias` [C_out].
    static CausalConvTranspose1d load(WeightSet& weights, const std::string& prefix, const ConvSpec& spec);

    CausalConvTranspose1dState initialState(int64_t batch) const;
    // x [B, C_in, T] → [B, C_out, T * stride]; the (K - stride) tail waits in the state for the next call.
    torch::Tensor step(const torch::Tensor& x, CausalConvTranspose1dState& state) const;
    // Whole sequence: the tail is trimmed on the right (conv.py `unpad1d(y, (0, K - S))`).
    torch::Tensor forward(const torch::Tensor& x) const;

private:
    torch::Tensor fewStepsForward(const torch::Tensor& x) const;

    ConvSpec spec_;
    torch::Tensor weight_;
    torch::Tensor bias_;
};

} // namespace echoforge::mimi
