#include "core/codec/mimi/mimi_codec.h"

#include "core/codec/mimi/mimi_model.h"
#include "core/model/tensor_loading.h"
#include "core/common/error.h"

namespace echoforge {
namespace {

using mimi::MimiModel;

// codes[k][frame] → [1, K, F] int64, checking the shape and range a user could get wrong.
torch::Tensor codesTensor(const MimiCodec::Codes& codes, const MimiModel& model) {
    if (codes.empty() || static_cast<int>(codes.size()) > model.numCodebooks())
        throw Error(QStringLiteral("Mimi decodes 1 to %1 codebooks, not %2.")
                        .arg(model.numCodebooks()).arg(codes.size()));
    const size_t frames = codes.front().size();
    torch::Tensor t = torch::empty({1, static_cast<int64_t>(codes.size()), static_cast<int64_t>(frames)}, torch::kLong);
    auto out = t.accessor<int64_t, 3>();
    for (size_t k = 0; k < codes.size(); ++k) {
        if (codes[k].size() != frames)
            throw Error(QStringLiteral("Mimi codebook %1 has %2 frames where codebook 0 has %3.")
                            .arg(k).arg(codes[k].size()).arg(frames));
        for (size_t f = 0; f < frames; ++f) {
            const int64_t c = codes[k][f];
            if (c < 0 || c >= model.cardinality())
                throw Error(QStringLiteral("Mimi code %1 (codebook %2, frame %3) is outside 0…%4.")
                                .arg(c).arg(k).arg(f).arg(model.cardinality() - 1));
            out[0][static_cast<int64_t>(k)][static_cast<int64_t>(f)] = c;
        }
    }
    return t;
}

// [1, K, F] → codes[k][frame]
MimiCodec::Codes codesFrom(const torch::Tensor& codes) {
    const torch::Tensor c = codes.to(torch::kLong).contiguous();
    MimiCodec::Codes out(static_cast<size_t>(c.size(1)));
    for (int64_t k = 0; k < c.size(1); ++k) {
        const int64_t* row = c[0][k].data_ptr<int64_t>();
        out[static_cast<size_t>(k)].assign(row, row + c.size(2));
    }
    return out;
}

std::vector<float> samplesFrom(const torch::Tensor& audio) {
    const torch::Tensor a = audio.reshape({-1}).contiguous();
    const float* p = a.data_ptr<float>();
    return {p, p + a.numel()};
}

torch::Tensor waveformOf(std::span<const float> pcm) {
    // from_blob does not own the memory: clone so the tensor outlives the span.
    return torch::from_blob(const_cast<float*>(pcm.data()), {1, 1, static_cast<int64_t>(pcm.size())}, torch::kFloat)
        .clone();
}

} // namespace

MimiCodec::MimiCodec(std::shared_ptr<const MimiModel> model) : model_(std::move(model)) {}

MimiCodec MimiCodec::load(const QString& weightsPath, const QString& configPath) {
    const mimi::MimiConfig config =
        configPath.isEmpty() ? mimi::MimiConfig::real() : mimi::MimiConfig::fromJsonFile(configPath);
    return MimiCodec(MimiModel::load(weightsPath, config));
}

MimiCodec MimiCodec::withRandomWeights(std::uint64_t seed) {
    WeightSet weights = WeightSet::random(torch::kFloat, seed);
    return MimiCodec(MimiModel::load(weights, mimi::MimiConfig::real()));
}

int MimiCodec::sampleRate() const { return model_->config().sampleRate; }
int MimiCodec::samplesPerFrame() const { return model_->samplesPerFrame(); }
int MimiCodec::numCodebooks() const { return model_->numCodebooks(); }
int MimiCodec::cardinality() const { return model_->cardinality(); }

MimiCodec::Codes MimiCodec::encode(std::span<const float> pcm) const {
    if (pcm.empty())
        throw Error("There is no audio to encode with Mimi.");
    return codesFrom(model_->encode(waveformOf(pcm)));
}

std::vector<float> MimiCodec::decode(const Codes& codes) const {
    const torch::Tensor t = codesTensor(codes, *model_);
    if (t.size(2) == 0)
        return {};
    return samplesFrom(model_->decode(t));
}

MimiCodec::StreamingDecoder MimiCodec::streamingDecoder() const { return StreamingDecoder(model_); }
MimiCodec::StreamingEncoder MimiCodec::streamingEncoder() const { return StreamingEncoder(model_); }

// ---- streaming decoder ---------------------------------------------------------------------

MimiCodec::StreamingDecoder::StreamingDecoder(std::shared_ptr<const MimiModel> model)
    : model_(std::move(model)), state_(std::make_unique<mimi::MimiDecoderState>(model_->initialDecoderState(1))) {}
MimiCodec::StreamingDecoder::StreamingDecoder(StreamingDecoder&&) noexcept = default;
MimiCodec::StreamingDecoder& MimiCodec::StreamingDecoder::operator=(StreamingDecoder&&) noexcept = default;
MimiCodec::StreamingDecoder::~StreamingDecoder() = default;

std::vector<float> MimiCodec::StreamingDecoder::decodeFrame(const std::vector<int64_t>& codesOfOneFrame) {
    Codes frame;
    frame.reserve(codesOfOneFrame.size());
    for (int64_t c : codesOfOneFrame)
        frame.push_back({c});
    return samplesFrom(model_->decodeStep(codesTensor(frame, *model_), *state_));
}

void MimiCodec::StreamingDecoder::reset() { state_->reset(); }
int64_t MimiCodec::StreamingDecoder::framesDecoded() const { return state_->frames; }

// ---- streaming encoder ---------------------------------------------------------------------

MimiCodec::StreamingEncoder::StreamingEncoder(std::shared_ptr<const MimiModel> model)
    : model_(std::move(model)), state_(std::make_unique<mimi::MimiEncoderState>(model_->initialEncoderState(1))) {}
MimiCodec::StreamingEncoder::StreamingEncoder(StreamingEncoder&&) noexcept = default;
MimiCodec::StreamingEncoder& MimiCodec::StreamingEncoder::operator=(StreamingEncoder&&) noexcept = default;
MimiCodec::StreamingEncoder::~StreamingEncoder() = default;

MimiCodec::Codes MimiCodec::StreamingEncoder::push(std::span<const float> pcm) {
    pending_.insert(pending_.end(), pcm.begin(), pcm.end());
    const size_t frame = static_cast<size_t>(model_->samplesPerFrame());
    Codes codes(static_cast<size_t>(model_->numCodebooks()));
    size_t used = 0;
    // One frame per call, as the reference streams: the result does not depend on how the audio
    // was split into pushes.
    for (; used + frame <= pending_.size(); used += frame) {
        const Codes one = codesFrom(model_->encodeStep(waveformOf({pending_.data() + used, frame}), *state_));
        for (size_t k = 0; k < codes.size(); ++k)
            codes[k].push_back(one[k].front());
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
    return codes;
}

void MimiCodec::StreamingEncoder::reset() {
    state_->reset();
    pending_.clear();
}

} // namespace echoforge
