#include "core/generation/csm_take.h"

#include <algorithm>

#include "core/audio/resampler.h"
#include "core/codec/mimi/mimi_codec.h"
#include "core/common/logging.h"
#include "core/generation/take_check.h"
#include "core/model/csm_model.h"

namespace echoforge {
namespace {

constexpr std::uint64_t kSeedStride = 0x9E3779B97F4A7C15ull;  // golden-ratio increment

QString verdictWord(TakeVerdict v) {
    switch (v) {
    case TakeVerdict::Silent: return QStringLiteral("silent");
    case TakeVerdict::Runaway: return QStringLiteral("a runaway");
    case TakeVerdict::EndedEarly: return QStringLiteral("cut short");
    case TakeVerdict::Good: break;
    }
    return QStringLiteral("good");
}

} // namespace

std::vector<int64_t> TakeRunner::codecCodes(const std::vector<int64_t>& frame) {
    // CSM's audio vocabulary has a few ids past the codec's codebooks (2,051 vs 2,048) that a
    // trained model does not emit; should one appear, Mimi hears code 0 instead of failing.
    std::vector<int64_t> codes(frame);
    for (int64_t& c : codes) {
        if (c >= codec_.cardinality() || c < 0) {
            if (!warnedOutOfRange_)
                logger(LogArea::Model)->warn("CSM emitted code {} outside the codec's {} codes; decoding it as 0", c,
                                             codec_.cardinality());
            warnedOutOfRange_ = true;
            c = 0;
        }
    }
    return codes;
}

TakeRunner::TakeRunner(CsmModel& model, const MimiCodec& codec, const Watermarker& watermarker,
                       const SpeechCallbacks& callbacks)
    : model_(model), codec_(codec), watermark_(watermarker.stream()), callbacks_(callbacks) {}

std::uint64_t TakeRunner::takeSeed(std::uint64_t seed, int attempt) {
    return seed + std::uint64_t(attempt) * kSeedStride;
}

void TakeRunner::send(std::vector<float> chunk) {
    if (chunk.empty())
        return;
    if (!firstAudioAt_)
        firstAudioAt_ = Clock::now();
    secondsSent_ += double(chunk.size()) / kOutputSampleRate;
    watermark_.process(chunk);  // every streamed chunk carries the mark
    callbacks_.audio(chunk);
}

void TakeRunner::emitPause(std::vector<float>& raw, double seconds) {
    std::vector<float> silence(std::size_t(seconds * kOutputSampleRate), 0.f);
    raw.insert(raw.end(), silence.begin(), silence.end());
    send(std::move(silence));
}

TakeRunner::Take TakeRunner::runOnce(const CsmPromptBuilder& prompt, const GenerationParams& params,
                                     std::uint64_t seed, int maxFrames) {
    Take take;
    const int K = prompt.numCodebooks();
    take.frames.assign(K, {});
    // All of the prompt may be the shared part only when nothing follows it (no text): then
    // nothing is kept, since the model needs at least one frame after a prefix.
    const int prefix = prompt.reusablePrefixFrames() < prompt.frames() ? prompt.reusablePrefixFrames() : 0;
    model_.begin(CsmPrompt{prompt.tokens(), prompt.mask(), prefix}, CsmSampling{params.temperature, params.topK, seed},
                 maxFrames);
    MimiCodec::StreamingDecoder decoder = codec_.streamingDecoder();
    std::optional<StreamingResampler> toOutputRate;
    if (codec_.sampleRate() != kOutputSampleRate)
        toOutputRate.emplace(codec_.sampleRate(), kOutputSampleRate);

    auto deliver = [&](std::vector<float> pcm) {
        take.audio.insert(take.audio.end(), pcm.begin(), pcm.end());
        send(std::move(pcm));
    };
    for (int f = 0; f < maxFrames; ++f) {
        if (callbacks_.cancelled()) {
            take.cancelled = true;
            break;
        }
        const std::vector<int64_t> frame = model_.nextFrame();
        if (std::all_of(frame.begin(), frame.end(), [](int64_t c) { return c == 0; }))
            break;  // the end-of-audio frame is not kept (generator.py)
        for (int k = 0; k < K; ++k)
            take.frames[k].push_back(frame[k]);
        std::vector<float> pcm = decoder.decodeFrame(codecCodes(frame));
        deliver(toOutputRate ? toOutputRate->feed(pcm) : std::move(pcm));
        ++framesDone_;
        callbacks_.progress({framesDone_, std::max(framesEstimate_, framesDone_ + 1), secondsSent_});
        take.hitLimit = f + 1 == maxFrames;
    }
    if (toOutputRate)
        deliver(toOutputRate->flush());
    return take;
}

TakeOutcome TakeRunner::run(const CsmPromptBuilder& prompt, const QString& text, const GenerationParams& params,
                            std::uint64_t seed, int maxFrames, int attempts) {
    TakeOutcome outcome;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        const std::uint64_t takeSeedValue = takeSeed(seed, attempt);
        Take take = runOnce(prompt, params, takeSeedValue, maxFrames);
        outcome.frames = std::move(take.frames);
        outcome.audio = std::move(take.audio);
        if (take.cancelled) {
            outcome.cancelled = true;
            return outcome;
        }
        const TakeAssessment check = assessTake(outcome.audio, kOutputSampleRate, text, take.hitLimit);
        if (check.good())
            return outcome;
        if (attempt + 1 < attempts) {
            outcome.notes << QStringLiteral("Take %1 was %2 (%3) Took it again with seed %4.")
                                 .arg(attempt + 1).arg(verdictWord(check.verdict), check.reason)
                                 .arg(takeSeed(seed, attempt + 1));
            logger(LogArea::Model)->info("retake: {}", outcome.notes.last());
        } else {
            outcome.notes << QStringLiteral("Take %1 was %2 (%3) and no retakes were left, so it was kept.")
                                 .arg(attempt + 1).arg(verdictWord(check.verdict), check.reason);
        }
    }
    return outcome;
}

} // namespace echoforge
