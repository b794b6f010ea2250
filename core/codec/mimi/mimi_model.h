#pragma once
// The Mimi codec (moshi models/compression.py MimiModel) in libtorch, for model code and tests.
// The torch-free API for the rest of EchoForge is core/codec/mimi/mimi_codec.h.
//
// encode: waveform [B, 1, T] → SEANet encoder (25 Hz) → transformer → downsample (12.5 Hz)
//         → split RVQ → codes [B, K, F]
// decode: codes [B, K, F] → split RVQ → upsample (25 Hz) → transformer → SEANet decoder
//         → waveform [B, 1, F · samplesPerFrame]
// Streaming runs the same modules one call at a time, each module's memory in a named state.

#include <memory>

#include <QString>
#include <torch/torch.h>

#include "core/codec/mimi/conv.h"
#include "core/codec/mimi/mimi_config.h"
#include "core/codec/mimi/quantizer.h"
#include "core/codec/mimi/seanet.h"
#include "core/codec/mimi/trace.h"
#include "core/codec/mimi/transformer.h"

namespace echoforge {
class WeightSet;
}

namespace echoforge::mimi {

// Everything streaming decode remembers between frames, module by module.
struct MimiDecoderState {
    CausalConvTranspose1dState upsample;
    MimiTransformerState transformer;
    SeanetDecoderState seanet;
    int64_t frames = 0;    // frames decoded since the last reset

    void reset();
};

// Everything streaming encode remembers between frames.
struct MimiEncoderState {
    SeanetEncoderState seanet;
    MimiTransformerState transformer;
    CausalConv1dState downsample;
    int64_t frames = 0;

    void reset();
};

class MimiModel {
public:
    // Loads every tensor of `weightsPath` strictly: a missing, misshapen or unknown tensor is an
    // echoforge::Error naming it.
    static std::shared_ptr<const MimiModel> load(const QString& weightsPath, const MimiConfig& config);
    static std::shared_ptr<const MimiModel> load(WeightSet& weights, const MimiConfig& config);

    const MimiConfig& config() const { return config_; }
    int numCodebooks() const { return quantizer_.numCodebooks(); }
    int cardinality() const { return quantizer_.cardinality(); }
    int samplesPerFrame() const { return config_.samplesPerFrame(); }

    // Whole sequence. codes [B, K, F] → [B, 1, F · samplesPerFrame].
    torch::Tensor decode(const torch::Tensor& codes, MimiTrace* trace = nullptr) const;
    // Whole sequence. waveform [B, 1, T], padded with zeros on the right to whole frames
    // (compression.py pad_for_conv1d) → codes [B, K, ceil(T / samplesPerFrame)].
    torch::Tensor encode(const torch::Tensor& waveform, MimiTrace* trace = nullptr) const;

    MimiDecoderState initialDecoderState(int64_t batch) const;
    // The next F ≥ 1 frames: codes [B, K, F] → [B, 1, F · samplesPerFrame].
    torch::Tensor decodeStep(const torch::Tensor& codes, MimiDecoderState& state, MimiTrace* trace = nullptr) const;

    MimiEncoderState initialEncoderState(int64_t batch) const;
    // The next whole frames: waveform [B, 1, F · samplesPerFrame] → codes [B, K, F].
    torch::Tensor encodeStep(const torch::Tensor& waveform, MimiEncoderState& state, MimiTrace* trace = nullptr) const;

    // The quantizer's effective codebooks, under the golden set's names.
    void traceCodebooks(MimiTrace& trace) const { quantizer_.traceCodebooks(trace); }

private:
    MimiModel() = default;

    MimiConfig config_;
    SeanetEncoder encoder_;
    MimiTransformer encoderTransformer_;
    CausalConv1d downsample_;
    SplitResidualVectorQuantizer quantizer_;
    CausalConvTranspose1d upsample_;
    MimiTransformer decoderTransformer_;
    SeanetDecoder decoder_;
};

// Decodes one frame per call, keeping its own state, so playback can start after the first frame.
class StreamingMimiDecoder {
public:
    explicit StreamingMimiDecoder(std::shared_ptr<const MimiModel> model, int64_t batch = 1);
    // codes [B, K, F] (usually F = 1) → [B, 1, F · samplesPerFrame].
    torch::Tensor step(const torch::Tensor& codes, MimiTrace* trace = nullptr);
    void reset() { state_.reset(); }
    const MimiDecoderState& state() const { return state_; }
    const MimiModel& model() const { return *model_; }

private:
    std::shared_ptr<const MimiModel> model_;
    MimiDecoderState state_;
};

// Encodes whole frames as they arrive, keeping its own state.
class StreamingMimiEncoder {
public:
    explicit StreamingMimiEncoder(std::shared_ptr<const MimiModel> model, int64_t batch = 1);
    // waveform [B, 1, F · samplesPerFrame] → codes [B, K, F].
    torch::Tensor step(const torch::Tensor& waveform, MimiTrace* trace = nullptr);
    void reset() { state_.reset(); }
    const MimiEncoderState& state() const { return state_; }

private:
    std::shared_ptr<const MimiModel> model_;
    MimiEncoderState state_;
};

} // namespace echoforge::mimi
