#include "core/codec/mimi/mimi_model.h"

#include "core/codec/mimi/resample.h"
#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/model/tensor_loading.h"

namespace echoforge::mimi {
namespace {

namespace F = torch::nn::functional;

// Sets trace->prefix for the duration of one call.
class TracePrefix {
public:
    TracePrefix(MimiTrace* trace, const char* prefix) : trace_(trace) {
        if (trace_) {
            saved_ = trace_->prefix;
            trace_->prefix = prefix;
        }
    }
    ~TracePrefix() {
        if (trace_)
            trace_->prefix = saved_;
    }
    TracePrefix(const TracePrefix&) = delete;
    TracePrefix& operator=(const TracePrefix&) = delete;

private:
    MimiTrace* trace_;
    std::string saved_;
};

void requireWaveform(const torch::Tensor& waveform) {
    if (waveform.dim() != 3 || waveform.size(1) != 1)
        throw Error("Mimi expects mono audio shaped [batch, 1, samples].");
    if (waveform.size(2) == 0)
        throw Error("There is no audio to encode with Mimi.");
}

} // namespace

void MimiDecoderState::reset() {
    upsample.reset();
    transformer.reset();
    seanet.reset();
    frames = 0;
}

void MimiEncoderState::reset() {
    seanet.reset();
    transformer.reset();
    downsample.reset();
    frames = 0;
}

std::shared_ptr<const MimiModel> MimiModel::load(const QString& weightsPath, const MimiConfig& config) {
    WeightSet weights(SafetensorsFile::open(weightsPath));
    auto model = load(weights, config);
    logger(LogArea::Model)->info("Mimi loaded from {} ({} codebooks, {} Hz, {} samples per frame)", weightsPath,
                                 model->numCodebooks(), config.sampleRate, config.samplesPerFrame());
    return model;
}

std::shared_ptr<const MimiModel> MimiModel::load(WeightSet& weights, const MimiConfig& config) {
    config.validate(weights.source());
    c10::InferenceMode inference;
    std::shared_ptr<MimiModel> m(new MimiModel);
    m->config_ = config;
    const int64_t dimension = config.seanet.dimension;
    const int64_t stride = config.resampleStride();
    m->encoder_ = SeanetEncoder::load(weights, config.seanet);
    m->encoderTransformer_ = MimiTransformer::load(weights, "encoder_transformer", config.transformer);
    m->downsample_ = loadFrameRateDownsample(weights, dimension, stride);
    m->quantizer_ = SplitResidualVectorQuantizer::load(weights, config.quantizer);
    m->upsample_ = loadFrameRateUpsample(weights, dimension, stride);
    m->decoderTransformer_ = MimiTransformer::load(weights, "decoder_transformer", config.transformer);
    m->decoder_ = SeanetDecoder::load(weights, config.seanet);
    weights.finish();   // strict: a tensor Mimi does not know is an error
    return m;
}

torch::Tensor MimiModel::decode(const torch::Tensor& codes, MimiTrace* trace) const {
    c10::InferenceMode inference;
    TracePrefix scope(trace, "decode.");
    const torch::Tensor latent = quantizer_.decode(codes, trace);   // [B, d, F]
    const torch::Tensor upsampled = upsample_.forward(latent);        // [B, d, F · stride]
    traceRecord(trace, "upsample", upsampled);
    const torch::Tensor contextual = decoderTransformer_.forward(upsampled, trace);
    return decoder_.forward(contextual, trace);   // [B, 1, F · samplesPerFrame]
}

torch::Tensor MimiModel::encode(const torch::Tensor& waveform, MimiTrace* trace) const {
    requireWaveform(waveform);
    c10::InferenceMode inference;
    TracePrefix scope(trace, "encode.");
    // compression.py: pad on the right to whole frames, so ceil(T / frame) frames come out.
    const int64_t frame = samplesPerFrame();
    const int64_t extra = (frame - waveform.size(2) % frame) % frame;
    const torch::Tensor padded = extra ? F::pad(waveform.to(torch::kFloat), F::PadFuncOptions({0, extra}))
                                       : waveform.to(torch::kFloat);
    const torch::Tensor features = encoder_.forward(padded, trace);              // [B, d, T / hop]
    const torch::Tensor contextual = encoderTransformer_.forward(features, trace);
    const torch::Tensor latent = downsample_.forward(contextual);               // [B, d, F]
    traceRecord(trace, "downsample", latent);
    return quantizer_.encode(latent, trace);                                     // [B, K, F]
}

MimiDecoderState MimiModel::initialDecoderState(int64_t batch) const {
    c10::InferenceMode inference;
    return {upsample_.initialState(batch), decoderTransformer_.initialState(batch), decoder_.initialState(batch), 0};
}

torch::Tensor MimiModel::decodeStep(const torch::Tensor& codes, MimiDecoderState& state, MimiTrace* trace) const {
    c10::InferenceMode inference;
    TracePrefix scope(trace, "stream_decode.");
    const torch::Tensor latent = quantizer_.decode(codes, trace);
    const torch::Tensor upsampled = upsample_.step(latent, state.upsample);
    traceRecord(trace, "upsample", upsampled);
    const torch::Tensor contextual = decoderTransformer_.step(upsampled, state.transformer, trace);
    torch::Tensor audio = decoder_.step(contextual, state.seanet, trace);
    state.frames += codes.size(2);
    return audio;
}

MimiEncoderState MimiModel::initialEncoderState(int64_t batch) const {
    c10::InferenceMode inference;
    return {encoder_.initialState(batch), encoderTransformer_.initialState(batch), downsample_.initialState(batch), 0};
}

torch::Tensor MimiModel::encodeStep(const torch::Tensor& waveform, MimiEncoderState& state, MimiTrace* trace) const {
    requireWaveform(waveform);
    const int64_t frame = samplesPerFrame();
    if (waveform.size(2) % frame != 0)
        throw Error(QStringLiteral("Streaming Mimi encode takes whole frames of %1 samples, not %2 samples; "
                                   "keep the remainder for the next call.")
                        .arg(frame).arg(waveform.size(2)));
    c10::InferenceMode inference;
    TracePrefix scope(trace, "stream_encode.");
    const torch::Tensor features = encoder_.step(waveform.to(torch::kFloat), state.seanet, trace);
    const torch::Tensor contextual = encoderTransformer_.step(features, state.transformer, trace);
    const torch::Tensor latent = downsample_.step(contextual, state.downsample);
    traceRecord(trace, "downsample", latent);
    torch::Tensor codes = quantizer_.encode(latent, trace);
    state.frames += codes.size(2);
    return codes;
}

StreamingMimiDecoder::StreamingMimiDecoder(std::shared_ptr<const MimiModel> model, int64_t batch)
    : model_(std::move(model)), state_(model_->initialDecoderState(batch)) {}

torch::Tensor StreamingMimiDecoder::step(const torch::Tensor& codes, MimiTrace* trace) {
    return model_->decodeStep(codes, state_, trace);
}

StreamingMimiEncoder::StreamingMimiEncoder(std::shared_ptr<const MimiModel> model, int64_t batch)
    : model_(std::move(model)), state_(model_->initialEncoderState(batch)) {}

torch::Tensor StreamingMimiEncoder::step(const torch::Tensor& waveform, MimiTrace* trace) {
    return model_->encodeStep(waveform, state_, trace);
}

} // namespace echoforge::mimi
