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

class CsmModel;
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

    TakeRunner(CsmModel& model, const MimiCodec& codec, const Watermarker& watermarker,
               const SpeechCallbacks& callbacks);

    void setFramesTotalEstimate(int frames) { framesEstimate_ = frames; }

    // Speaks `text` after `prompt` with at most `maxFrames` frames; up to `attempts` takes, the
    // n-th with a seed derived from `seed` and n.
    TakeOutcome run(const CsmPromptBuilder& prompt, const QString& text, const GenerationParams& params,
                    std::uint64_t seed, int maxFrames, int attempts);

    // Silence between pieces, appended to `raw` and streamed.
    void emitPause(std::vector<float>& raw, double seconds);

    std::optional<Clock::time_point> firstAudioAt() const { return firstAudioAt_; }

    // The seed of the n-th take (0 = the request's own).
    static std::uint64_t takeSeed(std::uint64_t seed, int attempt);

private:
    struct Take {
        CodeMatrix frames;
        std::vector<float> audio;
        bool hitLimit = false;
        bool cancelled = false;
    };
    Take runOnce(const CsmPromptBuilder& prompt, const GenerationParams& params, std::uint64_t seed, int maxFrames);
    void send(std::vector<float> chunk);
    std::vector<int64_t> codecCodes(const std::vector<int64_t>& frame);

    CsmModel& model_;
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
