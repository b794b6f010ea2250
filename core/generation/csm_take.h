#pragma once
// One piece of text spoken by CSM: frames generated one by one, each decoded by the streaming
// Mimi decoder and sent out at once (watermarked), then the take checked and, when it failed,
// taken again with a new seed a bounded number of times.

#include <chrono>
#include <optional>
#include <vector>

#include <QStringList>

#include "core/engine/speech_engine.h"
#include "core/generation/csm_prompt.h"
#include "core/generation/watermark.h"

namespace echoforge {

class CsmStreamPool;
class MimiCodec;

struct TakeOutcome {
    CodeMatrix frames;              // [K][frames] of the accepted take
    std::vector<float> audio;       // its unmarked 24 kHz audio
    QStringList notes;              // retakes and why
    bool cancelled = false;
};

class TakeRunner {
public:
    using Clock = std::chrono::steady_clock;

    // Frames come from `streams`, which other requests may share at the same time (queued jobs
    // side by side); what a take holds does not depend on who shares it.
    TakeRunner(CsmStreamPool& streams, const MimiCodec& codec, const Watermarker& watermarker,
               const SpeechCallbacks& callbacks);

    void setFramesTotalEstimate(int frames) { framesEstimate_ = frames; }

    // Speaks `text` after `prompt` with at most `maxFrames` frames; up to `attempts` takes, the
    // n-th with a seed derived from `seed` and n.
    TakeOutcome run(const CsmPromptBuilder& prompt, const QString& text, const GenerationParams& params,
                    std::uint64_t seed, int maxFrames, int attempts);

    // Pieces spoken side by side as one batch (streams of one lease), each one's takes exactly
    // those run() makes for it alone with the same seed; failed takes are taken again, together.
    // The first piece's first take streams as it is made; the caller sends the others with
    // sendHeld() in order, once the pieces before them are out.
    struct SideBySidePiece {
        const CsmPromptBuilder* prompt = nullptr;
        QString text;
        int maxFrames = 0;
    };
    struct SideBySideOutcome {
        TakeOutcome take;
        bool streamed = false;   // the accepted take already went out (the first piece, first take)
    };
    std::vector<SideBySideOutcome> runSideBySide(const std::vector<SideBySidePiece>& pieces, const GenerationParams& params,
                                                 std::uint64_t seed, int attempts);
    // A take held back by runSideBySide, watermarked and streamed now.
    void sendHeld(const std::vector<float>& audio) { send(audio); }

    // Silence between pieces, appended to `raw` and streamed.
    void emitPause(std::vector<float>& raw, double seconds);

    std::optional<Clock::time_point> firstAudioAt() const { return firstAudioAt_; }

    // The seed of the n-th take (0 = the request's own).
    static std::uint64_t takeSeed(std::uint64_t seed, int attempt);

private:
    class FrameDecoder;
    struct Take {
        CodeMatrix frames;
        std::vector<float> audio;
        bool hitLimit = false;
        bool cancelled = false;
    };
    Take runOnce(const CsmPromptBuilder& prompt, const GenerationParams& params, std::uint64_t seed, int maxFrames);
    // One take of each piece as one batch; piece `live` (or none, −1) streams as it is made.
    std::vector<Take> runBatchOnce(const std::vector<SideBySidePiece>& pieces, const std::vector<std::uint64_t>& seeds,
                                   const GenerationParams& params, int live);
    // The verdict on a take and, when it failed, the note: a retake follows, or none was left.
    bool accept(const Take& take, const QString& text, std::uint64_t seed, int attempt, int attempts, QStringList& notes);
    void send(std::vector<float> chunk);
    // A frame through Mimi, in turn with the other requests sharing the streams.
    std::vector<float> decodeInTurn(FrameDecoder& decoder, const std::vector<int64_t>& frame);
    std::vector<int64_t> codecCodes(const std::vector<int64_t>& frame);

    CsmStreamPool& streams_;
    const MimiCodec& codec_;
    StreamingWatermarker watermark_;
    const SpeechCallbacks& callbacks_;
    int framesDone_ = 0;
    int framesEstimate_ = 0;
    double secondsSent_ = 0;
    std::optional<Clock::time_point> firstAudioAt_;
    bool warnedOutOfRange_ = false;
};

} // namespace echoforge
