#include "core/audio/resampler.h"

#include <soxr.h>

#include "core/common/error.h"

namespace echoforge {
namespace {

soxr_t makeSoxr(int inputRate, int outputRate, unsigned channels) {
    if (inputRate <= 0 || outputRate <= 0)
        throw Error(QStringLiteral("Cannot resample from %1 Hz to %2 Hz: rates must be positive.")
                        .arg(inputRate).arg(outputRate));
    soxr_error_t error = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    soxr_t soxr = soxr_create(inputRate, outputRate, channels, &error, &io, &quality, nullptr);
    if (error)
        throw Error(QStringLiteral("The resampler (libsoxr) could not start: %1.").arg(QString::fromUtf8(error)));
    return soxr;
}

// Pushes `frames` frames (nullptr input = end of stream) and appends everything soxr gives back.
void process(soxr_t soxr, const float* input, std::size_t frames, unsigned channels, double ratio,
             std::vector<float>& out) {
    std::size_t consumed = 0;
    std::vector<float> block;
    do {
        const std::size_t remaining = input ? frames - consumed : 0;
        const std::size_t capacity = std::size_t(double(remaining) * ratio) + 4096;
        block.resize(capacity * channels);
        std::size_t inDone = 0, outDone = 0;
        const soxr_error_t error = soxr_process(soxr, input ? input + consumed * channels : nullptr, remaining,
                                                &inDone, block.data(), capacity, &outDone);
        if (error)
            throw Error(QStringLiteral("Resampling failed (libsoxr): %1.").arg(QString::fromUtf8(error)));
        out.insert(out.end(), block.begin(), block.begin() + std::ptrdiff_t(outDone * channels));
        consumed += inDone;
        // At end of stream soxr drains over several calls; stop when it gives nothing more.
        if (!input && outDone == 0)
            break;
        if (input && consumed >= frames && outDone < capacity)
            break;
    } while (true);
}

} // namespace

AudioBuffer resample(const AudioBuffer& audio, int targetRate) {
    if (audio.sampleRate == targetRate)
        return audio;
    if (audio.samples.empty())
        return AudioBuffer{{}, targetRate, audio.channels};
    const unsigned channels = unsigned(audio.channels);
    soxr_t soxr = makeSoxr(audio.sampleRate, targetRate, channels);
    const double ratio = double(targetRate) / audio.sampleRate;
    AudioBuffer out;
    out.sampleRate = targetRate;
    out.channels = audio.channels;
    out.samples.reserve(std::size_t(double(audio.samples.size()) * ratio) + 64);
    try {
        process(soxr, audio.samples.data(), audio.frames(), channels, ratio, out.samples);
        process(soxr, nullptr, 0, channels, ratio, out.samples);
    } catch (...) {
        soxr_delete(soxr);
        throw;
    }
    soxr_delete(soxr);
    return out;
}

struct StreamingResampler::State {
    soxr_t soxr = nullptr;
    ~State() { soxr_delete(soxr); }
};

StreamingResampler::StreamingResampler(int inputRate, int outputRate)
    : state_(std::make_unique<State>()), inputRate_(inputRate), outputRate_(outputRate) {
    if (inputRate != outputRate)
        state_->soxr = makeSoxr(inputRate, outputRate, 1);
}

StreamingResampler::~StreamingResampler() = default;

std::vector<float> StreamingResampler::feed(std::span<const float> input) {
    if (!state_->soxr)
        return {input.begin(), input.end()};
    if (input.empty())   // a null input pointer would mean "end of stream" to soxr
        return {};
    std::vector<float> out;
    process(state_->soxr, input.data(), input.size(), 1, double(outputRate_) / inputRate_, out);
    return out;
}

std::vector<float> StreamingResampler::flush() {
    if (!state_->soxr)
        return {};
    std::vector<float> out;
    process(state_->soxr, nullptr, 0, 1, double(outputRate_) / inputRate_, out);
    return out;
}

} // namespace echoforge
