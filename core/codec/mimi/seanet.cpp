#include "core/codec/mimi/seanet.h"

#include <cmath>

#include "core/model/tensor_loading.h"

namespace echoforge::mimi {
namespace {

// `<module>.conv.conv`: StreamingConv1d → NormConv1d → nn.Conv1d in the reference's module tree.
std::string convPath(const std::string& module) { return module + ".conv.conv"; }
std::string convTransposePath(const std::string& module) { return module + ".convtr.convtr"; }
std::string modelPath(const char* part, int index) { return std::string(part) + ".model." + std::to_string(index); }

ConvSpec plainConv(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t dilation = 1) {
    ConvSpec spec;
    spec.inChannels = in;
    spec.outChannels = out;
    spec.kernelSize = kernel;
    spec.stride = stride;
    spec.dilation = dilation;
    return spec;
}

torch::Tensor activation(const torch::Tensor& x) { return torch::elu(x); }   // alpha = 1, as nn.ELU()

std::string stageName(size_t stage) { return "seanet_stage" + std::to_string(stage + 1); }

} // namespace

// ---- residual block ------------------------------------------------------------------------

void SeanetResnetBlockState::reset() {
    narrow.reset();
    widen.reset();
}

SeanetResnetBlock SeanetResnetBlock::load(WeightSet& weights, const std::string& prefix, int64_t dim,
                                          int64_t dilation, const SeanetConfig& config) {
    const int64_t hidden = dim / config.compress;   // Demucs v3 compression of the residual branch
    SeanetResnetBlock block;
    // block.0 and block.2 are the ELUs; block.1 and block.3 the convolutions.
    block.narrow_ = CausalConv1d::load(weights, convPath(prefix + ".block.1"),
                                       plainConv(dim, hidden, config.residualKernelSize, 1, dilation));
    block.widen_ = CausalConv1d::load(weights, convPath(prefix + ".block.3"), plainConv(hidden, dim, 1));
    return block;
}

SeanetResnetBlockState SeanetResnetBlock::initialState(int64_t batch) const {
    return {narrow_.initialState(batch), widen_.initialState(batch)};
}

torch::Tensor SeanetResnetBlock::step(const torch::Tensor& x, SeanetResnetBlockState& state) const {
    const torch::Tensor branch = widen_.step(activation(narrow_.step(activation(x), state.narrow)), state.widen);
    return x + branch;   // true skip: the shortcut is the identity
}

// ---- encoder -------------------------------------------------------------------------------

void SeanetEncoderState::reset() {
    input.reset();
    for (Stage& stage : stages) {
        for (SeanetResnetBlockState& r : stage.residuals)
            r.reset();
        stage.downsample.reset();
    }
    output.reset();
}

SeanetEncoder SeanetEncoder::load(WeightSet& weights, const SeanetConfig& config) {
    SeanetEncoder encoder;
    int index = 0;
    int64_t channels = config.nFilters;
    encoder.input_ = CausalConv1d::load(weights, convPath(modelPath("encoder", index++)),
                                        plainConv(config.channels, channels, config.kernelSize));
    for (auto ratio = config.ratios.rbegin(); ratio != config.ratios.rend(); ++ratio) {
        Stage stage;
        for (int j = 0; j < config.nResidualLayers; ++j) {
            const auto dilation = static_cast<int64_t>(std::lround(std::pow(config.dilationBase, j)));
            stage.residuals.push_back(
                SeanetResnetBlock::load(weights, modelPath("encoder", index++), channels, dilation, config));
        }
        ++index;   // ELU
        stage.downsample = CausalConv1d::load(weights, convPath(modelPath("encoder", index++)),
                                              plainConv(channels, 2 * channels, 2 * *ratio, *ratio));
        channels *= 2;
        encoder.stages_.push_back(std::move(stage));
    }
    ++index;   // ELU
    encoder.output_ = CausalConv1d::load(weights, convPath(modelPath("encoder", index)),
                                         plainConv(channels, config.dimension, config.lastKernelSize));
    return encoder;
}

SeanetEncoderState SeanetEncoder::initialState(int64_t batch) const {
    SeanetEncoderState state;
    state.input = input_.initialState(batch);
    for (const Stage& stage : stages_) {
        SeanetEncoderState::Stage s;
        for (const SeanetResnetBlock& r : stage.residuals)
            s.residuals.push_back(r.initialState(batch));
        s.downsample = stage.downsample.initialState(batch);
        state.stages.push_back(std::move(s));
    }
    state.output = output_.initialState(batch);
    return state;
}

torch::Tensor SeanetEncoder::step(const torch::Tensor& audio, SeanetEncoderState& state, MimiTrace* trace) const {
    torch::Tensor x = input_.step(audio, state.input);   // [B, F, T]
    traceRecord(trace, "seanet_in_conv", x);
    for (size_t i = 0; i < stages_.size(); ++i) {
        for (size_t j = 0; j < stages_[i].residuals.size(); ++j)
            x = stages_[i].residuals[j].step(x, state.stages[i].residuals[j]);
        traceRecord(trace, stageName(i) + "_resblock", x);
        x = stages_[i].downsample.step(activation(x), state.stages[i].downsample);   // [B, 2C, T / ratio]
        traceRecord(trace, stageName(i), x);
    }
    x = output_.step(activation(x), state.output);   // [B, dimension, T / hop]
    traceRecord(trace, "seanet_out", x);
    return x;
}

torch::Tensor SeanetEncoder::forward(const torch::Tensor& audio, MimiTrace* trace) const {
    SeanetEncoderState fresh = initialState(audio.size(0));
    return step(audio, fresh, trace);
}

// ---- decoder -------------------------------------------------------------------------------

void SeanetDecoderState::reset() {
    input.reset();
    for (Stage& stage : stages) {
        stage.upsample.reset();
        for (SeanetResnetBlockState& r : stage.residuals)
            r.reset();
    }
    output.reset();
}

SeanetDecoder SeanetDecoder::load(WeightSet& weights, const SeanetConfig& config) {
    SeanetDecoder decoder;
    int index = 0;
    int64_t channels = config.nFilters << config.ratios.size();   // mult = 2^len(ratios)
    decoder.input_ = CausalConv1d::load(weights, convPath(modelPath("decoder", index++)),
                                        plainConv(config.dimension, channels, config.kernelSize));
    for (int ratio : config.ratios) {
        Stage stage;
        ++index;   // ELU
        stage.upsample = CausalConvTranspose1d::load(weights, convTransposePath(modelPath("decoder", index++)),
                                                     plainConv(channels, channels / 2, 2 * ratio, ratio));
        channels /= 2;
        for (int j = 0; j < config.nResidualLayers; ++j) {
            const auto dilation = static_cast<int64_t>(std::lround(std::pow(config.dilationBase, j)));
            stage.residuals.push_back(
                SeanetResnetBlock::load(weights, modelPath("decoder", index++), channels, dilation, config));
        }
        decoder.stages_.push_back(std::move(stage));
    }
    ++index;   // ELU
    decoder.output_ = CausalConv1d::load(weights, convPath(modelPath("decoder", index)),
                                         plainConv(channels, config.channels, config.lastKernelSize));
    return decoder;
}

SeanetDecoderState SeanetDecoder::initialState(int64_t batch) const {
    SeanetDecoderState state;
    state.input = input_.initialState(batch);
    for (const Stage& stage : stages_) {
        SeanetDecoderState::Stage s;
        s.upsample = stage.upsample.initialState(batch);
        for (const SeanetResnetBlock& r : stage.residuals)
            s.residuals.push_back(r.initialState(batch));
        state.stages.push_back(std::move(s));
    }
    state.output = output_.initialState(batch);
    return state;
}

torch::Tensor SeanetDecoder::step(const torch::Tensor& latent, SeanetDecoderState& state, MimiTrace* trace) const {
    torch::Tensor x = input_.step(latent, state.input);   // [B, 16F, T]
    traceRecord(trace, "seanet_in_conv", x);
    for (size_t i = 0; i < stages_.size(); ++i) {
        x = stages_[i].upsample.step(activation(x), state.stages[i].upsample);   // [B, C/2, T * ratio]
        traceRecord(trace, stageName(i) + "_convtr", x);
        for (size_t j = 0; j < stages_[i].residuals.size(); ++j)
            x = stages_[i].residuals[j].step(x, state.stages[i].residuals[j]);
        traceRecord(trace, stageName(i), x);
    }
    x = output_.step(activation(x), state.output);   // [B, 1, T * hop]
    traceRecord(trace, "waveform", x);
    return x;
}

torch::Tensor SeanetDecoder::forward(const torch::Tensor& latent, MimiTrace* trace) const {
    SeanetDecoderState fresh = initialState(latent.size(0));
    return step(latent, fresh, trace);
}

} // namespace echoforge::mimi
