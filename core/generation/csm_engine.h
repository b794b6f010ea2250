#pragma once
// The CSM-1B speech engine: tokenizer + CSM + Mimi behind the SpeechEngine interface. It does
// what the reference generator does (context segments, frame generation, decoding, a watermark)
// and what its users keep asking for: streaming, long text, retakes of failed takes, caching.

#include <functional>
#include <memory>

#include <QString>

#include "core/codec/mimi/mimi_codec.h"
#include "core/engine/speech_engine.h"
#include "core/generation/csm_prompt.h"
#include "core/generation/watermark.h"
#include "core/model/precision.h"
#include "core/model/torch_runtime.h"
#include "core/text/llama3_tokenizer.h"

namespace echoforge {

class CsmModel;
class CsmStreamPool;

struct CsmEngineOptions {
    QString modelsDir;                   // the layout of docs/models.md
    QString cacheDir;                    // clone codes and finished audio live below it
    WeightPrecision precision = WeightPrecision::Float32;
    int threads = 0;                     // torch threads; 0 = every core
    ComputeDevice device = ComputeDevice::Cpu;
    double loudnessTargetLufs = -16.0;
    std::int64_t audioCacheBytes = std::int64_t(2048) << 20;
    int maxTakeAttempts = 3;             // first take plus retakes
    // How the pieces of a long text are spoken. PreviousPiece: one after another, each with the
    // piece before it (text and audio) as context, for the smoothest joins. VoiceOnly: each with
    // the voice (and a script's earlier lines) alone, so pieces do not wait for each other and
    // up to `pieceStreams` of them run side by side as one batch: each weight read serves every
    // piece, which makes long text faster on a CPU. The joined audio does not depend on
    // `pieceStreams`: it is the same as speaking those pieces one by one with the same seeds.
    enum class PieceContext { PreviousPiece, VoiceOnly };
    PieceContext pieceContext = PieceContext::PreviousPiece;
    int pieceStreams = 1;                // 1 to CsmModel::kMaxStreams; used with VoiceOnly
    // Requests (queued jobs) spoken at the same time, each on its caller's thread, their frame
    // steps run as one batch (CsmStreamPool): 1 to CsmModel::kMaxStreams, and 1 on a GPU. What a
    // request makes does not depend on it; only how long each takes and how many finish per minute.
    int jobStreams = 1;
    WatermarkKey watermarkKey = kDefaultWatermarkKey;
    QString anchorsDir;                  // kept voices (voice_anchor.h); empty: none kept or made
    QString lexiconsDir;                 // pronunciation lexicons (lexicon.h); empty: none
    std::function<void(double fraction, const QString& stage)> loadProgress;
    // Sees each piece's prompt before its frames are made (tests check what the context holds).
    std::function<void(const CsmPromptBuilder& prompt)> onPrompt;
};

class CsmEngine final : public SpeechEngine {
public:
    // Loads tokenizer, CSM and Mimi from the model folder. Throws echoforge::Error naming the
    // missing or inconsistent file.
    static std::unique_ptr<CsmEngine> load(const CsmEngineOptions& options);
    // An engine from parts already at hand (benchmarks with random weights). Throws when they
    // do not fit together.
    static std::unique_ptr<CsmEngine> fromParts(Llama3Tokenizer tokenizer, MimiCodec codec,
                                                std::unique_ptr<CsmModel> model, const CsmEngineOptions& options,
                                                const QString& identity);
    ~CsmEngine() override;

    QString id() const override { return QStringLiteral("csm"); }
    QString displayName() const override { return QStringLiteral("CSM-1B"); }
    bool supportsCloning() const override { return true; }

    int maxConcurrentRequests() const override;
    // Safe to call from several threads at once, up to maxConcurrentRequests().
    SpeechResult synthesize(const SpeechRequest& request, const SpeechCallbacks& callbacks) override;

    // Encodes a reference clip once so later generations find its codes in the cache
    // (cloning calls this). Returns whether the codes were already cached.
    bool prepareReference(const QString& audioPath) override;

    // The streams every request shares: how far queued jobs were batched (widestStep) and what
    // the steps and prompts cost (totals), for benchmarks and tests.
    const CsmStreamPool& streamPool() const;

    // Identifies the loaded weights (caches are keyed by it).
    QString modelIdentity() const;

    struct Parts;

private:
    explicit CsmEngine(std::unique_ptr<Parts> parts);
    // The character's kept voice as a reference segment, made now from its sample line when none
    // is kept. Empty when anchoring does not apply or a cancel stopped it.
    std::optional<ReferenceSegment> voiceAnchor(const SpeechRequest& request, const SpeechCallbacks& callbacks,
                                                QStringList& notes);
    std::unique_ptr<Parts> parts_;
};

} // namespace echoforge
