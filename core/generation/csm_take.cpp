#include "core/generation/csm_take.h"

#include <algorithm>
#include <deque>

#include "core/audio/resampler.h"
#include "core/codec/mimi/mimi_codec.h"
#include "core/common/logging.h"
#include "core/generation/take_check.h"
#include "core/model/csm_model.h"
#include "core/model/csm_stream_pool.h"

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

// generator.py ends a take at an all-zero frame, which is not kept.
bool endOfSpeech(const std::vector<int64_t>& frame) {
    return std::all_of(frame.begin(), frame.end(), [](int64_t c) { return c == 0; });
}

// The model's form of a prompt. All of it may be the shared part only when nothing follows it (no
// text): then nothing is kept, since the model needs at least one frame after a prefix.
CsmPrompt modelPrompt(const CsmPromptBuilder& prompt) {
    const int prefix = prompt.reusablePrefixFrames() < prompt.frames() ? prompt.reusablePrefixFrames() : 0;
    return CsmPrompt{prompt.tokens(), prompt.mask(), prefix};
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

TakeRunner::TakeRunner(CsmStreamPool& streams, const MimiCodec& codec, const Watermarker& watermarker,
                       const SpeechCallbacks& callbacks)
    : streams_(streams), codec_(codec), watermark_(watermarker.stream()), callbacks_(callbacks) {}

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

// Frames → 24 kHz audio for one take: Mimi's streaming decoder, then the resampler when the
// codec runs at another rate (the tiny test codecs do).
class TakeRunner::FrameDecoder {
public:
    explicit FrameDecoder(const MimiCodec& codec) : decoder_(codec.streamingDecoder()) {
        if (codec.sampleRate() != kOutputSampleRate)
            toOutputRate_.emplace(codec.sampleRate(), kOutputSampleRate);
    }
    std::vector<float> decode(const std::vector<int64_t>& codes) {
        std::vector<float> pcm = decoder_.decodeFrame(codes);
        return toOutputRate_ ? toOutputRate_->feed(pcm) : pcm;
    }
    std::vector<float> flush() { return toOutputRate_ ? toOutputRate_->flush() : std::vector<float>{}; }

private:
    MimiCodec::StreamingDecoder decoder_;
    std::optional<StreamingResampler> toOutputRate_;
};

std::vector<float> TakeRunner::decodeInTurn(FrameDecoder& decoder, const std::vector<int64_t>& frame) {
    const auto turn = streams_.takeTurn();
    return decoder.decode(codecCodes(frame));
}

TakeRunner::Take TakeRunner::runOnce(const CsmPromptBuilder& prompt, const GenerationParams& params,
                                     std::uint64_t seed, int maxFrames) {
    Take take;
    const int K = prompt.numCodebooks();
    take.frames.assign(K, {});
    const auto cancelled = [this] { return callbacks_.cancelled(); };
    std::optional<CsmStreamPool::Lease> lease = cancelled() ? std::nullopt : streams_.claim(1, cancelled);
    if (!lease) {
        take.cancelled = true;
        return take;
    }
    FrameDecoder decoder(codec_);
    auto deliver = [&](std::vector<float> pcm) {
        take.audio.insert(take.audio.end(), pcm.begin(), pcm.end());
        send(std::move(pcm));
    };
    for (int f = 0; f < maxFrames; ++f) {
        if (f > 0 && cancelled()) {
            take.cancelled = true;
            break;
        }
        const std::vector<int64_t> frame =
            f == 0 ? lease->begin(0, modelPrompt(prompt), CsmSampling{params.temperature, params.topK, seed}, maxFrames)
                   : lease->next({0}).front();
        if (endOfSpeech(frame))
            break;
        for (int k = 0; k < K; ++k)
            take.frames[k].push_back(frame[k]);
        deliver(decodeInTurn(decoder, frame));
        ++framesDone_;
        callbacks_.progress({framesDone_, std::max(framesEstimate_, framesDone_ + 1), secondsSent_});
        take.hitLimit = f + 1 == maxFrames;
    }
    lease.reset();   // the other requests' steps stop waiting for this one
    deliver(decoder.flush());
    return take;
}

std::vector<TakeRunner::Take> TakeRunner::runBatchOnce(const std::vector<SideBySidePiece>& pieces,
                                                       const std::vector<std::uint64_t>& seeds,
                                                       const GenerationParams& params, int live) {
    const std::size_t n = pieces.size();
    std::vector<Take> takes(n);
    std::deque<FrameDecoder> decoders;   // not movable (the resampler), so not a vector
    for (std::size_t i = 0; i < n; ++i) {
        takes[i].frames.assign(pieces[i].prompt->numCodebooks(), {});
        decoders.emplace_back(codec_);
    }
    const auto cancelled = [this] { return callbacks_.cancelled(); };
    std::optional<CsmStreamPool::Lease> lease = cancelled() ? std::nullopt : streams_.claim(int(n), cancelled);
    if (!lease) {
        for (Take& take : takes)
            take.cancelled = true;
        return takes;
    }
    auto deliver = [&](std::size_t i, std::vector<float> pcm) {
        takes[i].audio.insert(takes[i].audio.end(), pcm.begin(), pcm.end());
        if (int(i) == live)
            send(std::move(pcm));
    };
    // A stream's frame: kept and decoded, and whether the stream goes on; the all-zero frame ends
    // it unkept, as do a cancel (this frame dropped, as run() stops before making it) and its limit.
    std::vector<int> active;
    auto keep = [&](std::size_t i, const std::vector<int64_t>& frame) {
        Take& take = takes[i];
        if (endOfSpeech(frame)) {
            lease->end(int(i));
            return;
        }
        if (cancelled()) {
            take.cancelled = true;
            lease->end(int(i));
            return;
        }
        for (std::size_t k = 0; k < take.frames.size(); ++k)
            take.frames[k].push_back(frame[k]);
        deliver(i, decodeInTurn(decoders[i], frame));
        ++framesDone_;
        callbacks_.progress({framesDone_, std::max(framesEstimate_, framesDone_ + 1), secondsSent_});
        take.hitLimit = int(take.frames.front().size()) == pieces[i].maxFrames;
        if (take.hitLimit)
            lease->end(int(i));
        else
            active.push_back(int(i));
    };
    for (std::size_t i = 0; i < n; ++i)
        keep(i, lease->begin(int(i), modelPrompt(*pieces[i].prompt),
                             CsmSampling{params.temperature, params.topK, seeds[i]}, pieces[i].maxFrames));
    while (!active.empty()) {
        const std::vector<int> now = std::move(active);
        active.clear();
        const std::vector<std::vector<int64_t>> made = lease->next(now);
        for (std::size_t r = 0; r < now.size(); ++r)
            keep(std::size_t(now[r]), made[r]);
    }
    lease.reset();
    for (std::size_t i = 0; i < n; ++i) {
        deliver(i, decoders[i].flush());
        // A cancel that came after a stream had ended still ends the request.
        takes[i].cancelled = takes[i].cancelled || callbacks_.cancelled();
    }
    return takes;
}

bool TakeRunner::accept(const Take& take, const QString& text, std::uint64_t seed, int attempt, int attempts,
                        QStringList& notes) {
    const TakeAssessment check = assessTake(take.audio, kOutputSampleRate, text, take.hitLimit);
    if (check.good())
        return true;
    if (attempt + 1 < attempts) {
        notes << QStringLiteral("Take %1 was %2 (%3) Took it again with seed %4.")
                     .arg(attempt + 1).arg(verdictWord(check.verdict), check.reason)
                     .arg(takeSeed(seed, attempt + 1));
        logger(LogArea::Model)->info("retake: {}", notes.last());
        return false;
    }
    notes << QStringLiteral("Take %1 was %2 (%3) and no retakes were left, so it was kept.")
                 .arg(attempt + 1).arg(verdictWord(check.verdict), check.reason);
    return true;
}

TakeOutcome TakeRunner::run(const CsmPromptBuilder& prompt, const QString& text, const GenerationParams& params,
                            std::uint64_t seed, int maxFrames, int attempts) {
    TakeOutcome outcome;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        Take take = runOnce(prompt, params, takeSeed(seed, attempt), maxFrames);
        outcome.cancelled = take.cancelled;
        const bool done = take.cancelled || accept(take, text, seed, attempt, attempts, outcome.notes);
        outcome.frames = std::move(take.frames);
        outcome.audio = std::move(take.audio);
        if (done)
            return outcome;
    }
    return outcome;
}

std::vector<TakeRunner::SideBySideOutcome> TakeRunner::runSideBySide(const std::vector<SideBySidePiece>& pieces,
                                                                     const GenerationParams& params, std::uint64_t seed,
                                                                     int attempts) {
    std::vector<SideBySideOutcome> outcomes(pieces.size());
    std::vector<std::size_t> waiting(pieces.size());   // pieces without an accepted take, in order
    for (std::size_t i = 0; i < pieces.size(); ++i)
        waiting[i] = i;
    for (int attempt = 0; attempt < attempts && !waiting.empty(); ++attempt) {
        std::vector<SideBySidePiece> batch;
        for (std::size_t i : waiting)
            batch.push_back(pieces[i]);
        // Only the very first take of the first piece can go out as it is made: every later
        // piece waits for the ones before it, and a retake's takes before it were already heard.
        const int live = attempt == 0 && waiting.front() == 0 ? 0 : -1;
        std::vector<Take> takes =
            runBatchOnce(batch, std::vector<std::uint64_t>(batch.size(), takeSeed(seed, attempt)), params, live);
        std::vector<std::size_t> retake;
        for (std::size_t j = 0; j < waiting.size(); ++j) {
            SideBySideOutcome& out = outcomes[waiting[j]];
            Take& take = takes[j];
            out.streamed = int(j) == live;
            if (take.cancelled) {
                out.take.cancelled = true;
                out.take.frames = std::move(take.frames);
                out.take.audio = std::move(take.audio);
                continue;
            }
            const bool accepted = accept(take, pieces[waiting[j]].text, seed, attempt, attempts, out.take.notes);
            out.take.frames = std::move(take.frames);
            out.take.audio = std::move(take.audio);
            if (!accepted)
                retake.push_back(waiting[j]);
        }
        if (std::any_of(takes.begin(), takes.end(), [](const Take& t) { return t.cancelled; }))
            break;
        waiting = std::move(retake);
    }
    return outcomes;
}

} // namespace echoforge
