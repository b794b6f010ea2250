#pragma once
// SEANet encoder and decoder (moshi modules/seanet.py) with causal convolutions, ELU, residual
// blocks and (transposed) strided convolutions. Tensors are [B, C, T].
//
// Encoder, ratios reversed (real Mimi: 4, 5, 6, 8; hop 960):
//   conv(1 → F, k=7); for each ratio r: residual blocks(C), ELU, conv(C → 2C, k=2r, stride r);
//   ELU, conv(16F → dimension, k=3)
// Decoder, ratios in order (8, 6, 5, 4):
//   conv(dimension → 16F, k=7); for each ratio r: ELU, convtr(C → C/2, k=2r, stride r),
//   residual blocks(C/2); ELU, conv(F → 1, k=3)   (no final activation)

#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/codec/mimi/conv.h"
#include "core/codec/mimi/mimi_config.h"
#include "core/codec/mimi/trace.h"

namespace echoforge {
class WeightSet;
}

namespace echoforge::mimi {

struct SeanetResnetBlockState {
    CausalConv1dState narrow;   // block.1: dim → dim / compress
    CausalConv1dState widen;    // block.3: dim / compress → dim

    void reset();
};

// seanet.py SEANetResnetBlock with true skip: x + conv_k1(ELU(conv_k(ELU(x)))).
class SeanetResnetBlock {
public:
    // `prefix` is the block's module path, e.g. "encoder.model.1".
    static SeanetResnetBlock load(WeightSet& weights, const std::string& prefix, int64_t dim, int64_t dilation,
                                  const SeanetConfig& config);
    SeanetResnetBlockState initialState(int64_t batch) const;
    torch::Tensor step(const torch::Tensor& x, SeanetResnetBlockState& state) const;

private:
    CausalConv1d narrow_;
    CausalConv1d widen_;
};

struct SeanetEncoderState {
    struct Stage {
        std::vector<SeanetResnetBlockState> residuals;
        CausalConv1dState downsample;
    };
    CausalConv1dState input;
    std::vector<Stage> stages;
    CausalConv1dState output;

    void reset();
};

class SeanetEncoder {
public:
    // Binds `encoder.model.N.*`.
    static SeanetEncoder load(WeightSet& weights, const SeanetConfig& config);
    SeanetEncoderState initialState(int64_t batch) const;
    // [B, 1, T] with T a multiple of the hop → [B, dimension, T / hop].
    torch::Tensor step(const torch::Tensor& audio, SeanetEncoderState& state, MimiTrace* trace = nullptr) const;
    torch::Tensor forward(const torch::Tensor& audio, MimiTrace* trace = nullptr) const;

private:
    struct Stage {
        std::vector<SeanetResnetBlock> residuals;
        CausalConv1d downsample;
    };
    CausalConv1d input_;
    std::vector<Stage> stages_;
    CausalConv1d output_;
};

struct SeanetDecoderState {
    struct Stage {
        CausalConvTranspose1dState upsample;
        std::vector<SeanetResnetBlockState> residuals;
    };
    CausalConv1dState input;
    std::vector<Stage> stages;
    CausalConv1dState output;

    void reset();
};

class SeanetDecoder {
public:
    // Binds `decoder.model.N.*`.
    static SeanetDecoder load(WeightSet& weights, const SeanetConfig& config);
    SeanetDecoderState initialState(int64_t batch) const;
    // [B, dimension, T] → [B, 1, T * hop].
    torch::Tensor step(const torch::Tensor& latent, SeanetDecoderState& state, MimiTrace* trace = nullptr) const;
    torch::Tensor forward(const torch::Tensor& latent, MimiTrace* trace = nullptr) const;

private:
    struct Stage {
        CausalConvTranspose1d upsample;
        std::vector<SeanetResnetBlock> residuals;
    };
    CausalConv1d input_;
    std::vector<Stage> stages_;
    CausalConv1d output_;
};

} // namespace echoforge::mimi
