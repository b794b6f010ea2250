#include "core/generation/csm_engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>

#include "core/audio/audio_buffer.h"
#include "core/audio/loudness.h"
#include "core/audio/resampler.h"
#include "core/audio/silence.h"
#include "core/codec/mimi/mimi_codec.h"
#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/common/model_layout.h"
#include "core/generation/audio_cache.h"
#include "core/generation/csm_context.h"
#include "core/generation/csm_take.h"
#include "core/generation/take_check.h"
#include "core/generation/text_splitter.h"
#include "core/model/csm_model.h"
#include "core/model/csm_stream_pool.h"
#include "core/text/llama3_tokenizer.h"
#include "core/text/pause_markup.h"
#include "core/text/text_normalizer.h"
#include "core/voices/voice_anchor.h"

namespace echoforge {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kSentencePauseSeconds = 0.25;   // between pieces of one paragraph
constexpr double kParagraphPauseSeconds = 0.6;   // after a paragraph
constexpr double kFadeInSeconds = 0.01;
constexpr double kFadeOutSeconds = 0.03;
constexpr int kLongestPieceChars = 400;          // about 25 s of speech
constexpr int kShortestPieceChars = 40;
constexpr std::size_t kCachedChunkSamples = 1920;
constexpr double kAnchorMaxSeconds = 20.0;       // a sample line is a sentence or two

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::uint64_t freshSeed() {
    std::random_device device;
    return (std::uint64_t(device()) << 32) ^ device();
}

// What makes a character's voice: the cache must miss when any of it changes.
QString voiceKey(const SpeechRequest& request) {
    // Called with the anchor already among the segments: its file name changes with its take.
    QStringList parts{request.character.id, QString::number(request.character.csmSpeakerId)};
    for (const auto& list : {request.character.segments, request.extraContext})
        for (const ReferenceSegment& s : list)
            parts << s.audioPath << s.transcript << QString::number(s.speakerId);
    return parts.join('\x1f');
}

// A piece of the text; a pause mark after it replaces the usual pause there.
struct Piece {
    TextPiece text;
    std::optional<double> pauseMark;   // seconds
};

// What the loops over a request's pieces share.
struct PieceSession {
    const SpeechRequest& request;
    const CsmPromptBuilder& voice;     // the character's reference segments and a script's turns
    const QList<Piece>& pieces;
    TakeRunner& runner;
    SpeechResult& result;
    std::vector<float> raw;            // unmarked 24 kHz audio of the accepted takes, with pauses

    int speaker() const { return request.character.csmSpeakerId; }
    double pauseAfter(qsizetype i) const {
        return pieces[i].pauseMark.value_or(pieces[i].text.endsParagraph ? kParagraphPauseSeconds : kSentencePauseSeconds);
    }
    void noteLengthLimit(qsizetype spoken) {
        result.notes << QStringLiteral("Stopped at the length limit of %1 s; %2 of %3 pieces were spoken.")
                            .arg(request.params.maxSeconds).arg(spoken).arg(pieces.size());
    }
};

} // namespace

struct CsmEngine::Parts {
    CsmEngineOptions options;
    Llama3Tokenizer tokenizer;
    MimiCodec codec;
    std::unique_ptr<CsmModel> model;
    QString identity;
    std::unique_ptr<CsmContext> context;
    std::unique_ptr<AudioCache> audioCache;
    Watermarker watermarker;
    // Everything below is shared by the requests that run at once (jobStreams): the model only
    // through the pool, the read-only parts above as they are, the anchor store under its lock.
    std::unique_ptr<CsmStreamPool> streams;
    std::mutex anchorMutex;              // one request at a time finds or makes a kept voice

    double frameSeconds() const { return double(codec.samplesPerFrame()) / codec.sampleRate(); }
    int framesFor(double seconds) const { return int(std::ceil(seconds / frameSeconds())); }
    // The longest take a piece may run to before it counts as a runaway.
    int pieceFrameBudget(const QString& text) const {
        const TakeLimits limits;
        return framesFor(limits.runawayFactor * expectedSpeechSeconds(text) + limits.runawaySlackSeconds);
    }
    // Frames a piece of `chars` characters needs: its text, the previous piece (text and audio) as
    // context, and its own frame budget.
    int pieceRoom(int chars) const;
    int maxPieceChars(int contextFrames) const;
    // Throws the sentence for a prompt that leaves too little of the window for `budget` frames.
    void checkFits(const CsmPromptBuilder& prompt, int budget) const;

    // The pieces in order, each after the one before (PieceContext::PreviousPiece).
    void speakChained(PieceSession& session);
    // The pieces with the voice alone as context, pieceStreams at a time (PieceContext::VoiceOnly).
    void speakSideBySide(PieceSession& session);
};

void CsmEngine::Parts::checkFits(const CsmPromptBuilder& prompt, int budget) const {
    const int window = model->config().backbone.maxSeqLen;
    if (prompt.frames() + budget < window)
        return;
    const int over = prompt.frames() + budget - window + 1;
    throw Error(QStringLiteral("The voice's reference clips and this text need %1 frames more than the model's "
                               "window of %2 holds: shorten the text by about %3 words or use a shorter reference clip.")
                    .arg(over).arg(window).arg(std::max(1, int(std::ceil(over * frameSeconds() * 2.6)))));
}

void CsmEngine::Parts::speakChained(PieceSession& s) {
    const int window = model->config().backbone.maxSeqLen;
    int framesLeft = framesFor(s.request.params.maxSeconds);
    std::optional<CsmPromptBuilder> previous;
    for (qsizetype i = 0; i < s.pieces.size() && framesLeft > 0; ++i) {
        const TextPiece& piece = s.pieces[i].text;
        const int budget = std::min(framesLeft, pieceFrameBudget(piece.text));

        // Voice first, then the previous piece when it fits, then the new piece.
        CsmPromptBuilder prompt = s.voice;
        if (previous && s.voice.frames() + previous->frames() + context->textFrames(s.speaker(), piece.text) + budget < window)
            prompt.append(*previous);
        context->appendText(prompt, s.speaker(), piece.text);
        checkFits(prompt, budget);
        if (options.onPrompt)
            options.onPrompt(prompt);

        TakeOutcome take = s.runner.run(prompt, piece.text, s.request.params, s.result.seed, budget,
                                        std::max(1, options.maxTakeAttempts));
        s.result.notes << take.notes;
        s.raw.insert(s.raw.end(), take.audio.begin(), take.audio.end());
        framesLeft -= int(take.frames.empty() ? 0 : take.frames.front().size());
        if (take.cancelled) {
            s.result.cancelled = true;
            return;
        }
        if (framesLeft <= 0 && i + 1 < s.pieces.size())
            s.noteLengthLimit(i + 1);

        previous.emplace(model->config().audioNumCodebooks);
        context->appendSegment(*previous, s.speaker(), piece.text, take.frames);
        if (i + 1 < s.pieces.size())
            s.runner.emitPause(s.raw, s.pauseAfter(i));
    }
}

void CsmEngine::Parts::speakSideBySide(PieceSession& s) {
    const int totalFrames = framesFor(s.request.params.maxSeconds);
    const int streams = options.pieceStreams;   // within 1…kMaxStreams since fromParts()
    // Output samples per frame, to cut the last piece at the length limit.
    const double samplesPerFrame = frameSeconds() * kOutputSampleRate;
    int framesLeft = totalFrames;
    for (qsizetype first = 0; first < s.pieces.size() && framesLeft > 0; first += streams) {
        const qsizetype end = std::min<qsizetype>(s.pieces.size(), first + streams);
        // Each piece's budget depends on its text alone (not on the frames of the pieces before
        // it, which a batch does not know yet), so a piece is the same in any batch.
        std::vector<CsmPromptBuilder> prompts;
        std::vector<TakeRunner::SideBySidePiece> batch;
        prompts.reserve(std::size_t(end - first));
        for (qsizetype i = first; i < end; ++i) {
            const QString& text = s.pieces[i].text.text;
            const int budget = std::min(totalFrames, pieceFrameBudget(text));
            prompts.push_back(s.voice);
            context->appendText(prompts.back(), s.speaker(), text);
            checkFits(prompts.back(), budget);
            if (options.onPrompt)
                options.onPrompt(prompts.back());
            batch.push_back({nullptr, text, budget});
        }
        for (std::size_t j = 0; j < batch.size(); ++j)
            batch[j].prompt = &prompts[j];

        auto outcomes = s.runner.runSideBySide(batch, s.request.params, s.result.seed, std::max(1, options.maxTakeAttempts));
        for (qsizetype i = first; i < end; ++i) {
            TakeRunner::SideBySideOutcome& out = outcomes[std::size_t(i - first)];
            s.result.notes << out.take.notes;
            const int frames = int(out.take.frames.empty() ? 0 : out.take.frames.front().size());
            if (frames > framesLeft)   // the length limit falls inside this piece
                out.take.audio.resize(std::min(out.take.audio.size(), std::size_t(std::lround(framesLeft * samplesPerFrame))));
            if (!out.streamed)
                s.runner.sendHeld(out.take.audio);
            s.raw.insert(s.raw.end(), out.take.audio.begin(), out.take.audio.end());
            framesLeft -= frames;
            if (out.take.cancelled) {
                s.result.cancelled = true;
                return;
            }
            if (framesLeft <= 0) {
                if (i + 1 < s.pieces.size())
                    s.noteLengthLimit(i + 1);
                return;
            }
            if (i + 1 < s.pieces.size())
                s.runner.emitPause(s.raw, s.pauseAfter(i));
        }
    }
}

int CsmEngine::Parts::pieceRoom(int chars) const {
    const QString sample = QString("word ").repeated(chars / 5);
    const int textFrames = context->textFrames(0, sample);
    const int previousFrames = textFrames + framesFor(expectedSpeechSeconds(sample)) + 1;
    return previousFrames + textFrames + pieceFrameBudget(sample);
}

int CsmEngine::Parts::maxPieceChars(int contextFrames) const {
    // A piece needs room for its text frames, the previous piece (text and audio) as context, and
    // its own frame budget: halve the piece until an ordinary piece of that length fits.
    const int window = model->config().backbone.maxSeqLen;
    for (int chars = kLongestPieceChars; chars >= kShortestPieceChars; chars /= 2)
        if (contextFrames + pieceRoom(chars) < window)
            return chars;
    return kShortestPieceChars;
}

CsmEngine::CsmEngine(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
CsmEngine::~CsmEngine() = default;

std::unique_ptr<CsmEngine> CsmEngine::load(const CsmEngineOptions& options) {
    const auto progress = [&](double fraction, const QString& stage) {
        if (options.loadProgress)
            options.loadProgress(fraction, stage);
    };
    const ModelLayout layout = ModelLayout::inspect(options.modelsDir);
    if (!layout.complete())
        throw Error(layout.missingSentence() + QStringLiteral(" See docs/models.md."));
    auto log = logger(LogArea::Model);
    const auto start = Clock::now();

    progress(0.0, QStringLiteral("tokenizer"));
    Llama3Tokenizer tokenizer = Llama3Tokenizer::load(layout.tokenizer.path);
    progress(0.1, QStringLiteral("Mimi codec"));
    MimiCodec codec = MimiCodec::load(layout.mimiWeights.path, layout.mimiConfig.found ? layout.mimiConfig.path : QString());
    progress(0.3, QStringLiteral("CSM-1B"));
    auto model = CsmModel::load(layout.csmConfig.path, layout.csmWeights.path,
                                {options.precision, options.threads, options.device});

    // Cached audio is reused only from the same weights computed the same way.
    const QString identity = QStringLiteral("csm-%1-mimi-%2-%3-%4")
                                 .arg(modelFileIdentity(layout.csmWeights.path), modelFileIdentity(layout.mimiWeights.path),
                                      precisionName(options.precision), deviceName(options.device));
    std::unique_ptr<CsmEngine> engine;
    try {
        engine = fromParts(std::move(tokenizer), std::move(codec), std::move(model), options, identity);
    } catch (const Error& e) {
        throw Error(QStringLiteral("The model files %1, %2 and %3 do not fit together: %4")
                        .arg(layout.csmWeights.path, layout.mimiWeights.path, layout.tokenizer.path, e.sentence()));
    }
    progress(1.0, QStringLiteral("ready"));
    log->info("CSM engine ready in {:.1f} s ({}, {} precision on {})", secondsSince(start), identity,
              precisionName(options.precision), deviceName(options.device));
    return engine;
}

std::unique_ptr<CsmEngine> CsmEngine::fromParts(Llama3Tokenizer tokenizer, MimiCodec codec,
                                                std::unique_ptr<CsmModel> model, const CsmEngineOptions& options,
                                                const QString& identity) {
    const CsmConfig& config = model->config();
    if (config.audioNumCodebooks > codec.numCodebooks())
        throw Error(QStringLiteral("CSM generates %1 codebooks but the Mimi codec has only %2.")
                        .arg(config.audioNumCodebooks).arg(codec.numCodebooks()));
    if (config.audioVocabSize < codec.cardinality())
        throw Error(QStringLiteral("CSM knows %1 audio codes but the Mimi codec uses %2.")
                        .arg(config.audioVocabSize).arg(codec.cardinality()));
    if (config.textVocabSize < tokenizer.vocabSize())
        throw Error(QStringLiteral("CSM has %1 text embeddings but the tokenizer (%2) has %3 ids.")
                        .arg(config.textVocabSize).arg(tokenizer.sourcePath()).arg(tokenizer.vocabSize()));
    auto parts = std::unique_ptr<Parts>(new Parts{options, std::move(tokenizer), std::move(codec), std::move(model),
                                                  identity, nullptr, nullptr, Watermarker(options.watermarkKey),
                                                  nullptr, {}});
    // A batch holds 1 to kMaxStreams pieces or requests: clamped once here, read as it is
    // everywhere after. Batches run on the CPU only.
    parts->options.pieceStreams = std::clamp(options.pieceStreams, 1, CsmModel::kMaxStreams);
    parts->options.jobStreams =
        options.device == ComputeDevice::Cpu ? std::clamp(options.jobStreams, 1, CsmModel::kMaxStreams) : 1;
    parts->streams = std::make_unique<CsmStreamPool>(*parts->model);
    parts->context = std::make_unique<CsmContext>(parts->tokenizer, parts->codec, identity,
                                                  options.cacheDir + QStringLiteral("/clone-codes"));
    parts->audioCache = std::make_unique<AudioCache>(options.cacheDir + QStringLiteral("/takes"), options.audioCacheBytes);
    return std::unique_ptr<CsmEngine>(new CsmEngine(std::move(parts)));
}

int CsmEngine::maxConcurrentRequests() const {
    return parts_->options.jobStreams;
}

const CsmStreamPool& CsmEngine::streamPool() const {
    return *parts_->streams;
}

QString CsmEngine::modelIdentity() const {
    return parts_->identity;
}

bool CsmEngine::prepareReference(const QString& audioPath) {
    bool cached = false;
    parts_->context->referenceCodes(audioPath, &cached);
    return cached;
}

std::optional<ReferenceSegment> CsmEngine::voiceAnchor(const SpeechRequest& request, const SpeechCallbacks& callbacks,
                                                       QStringList& notes) {
    const Character& c = request.character;
    if (!request.useVoiceAnchor || !c.segments.isEmpty() || parts_->options.anchorsDir.isEmpty() || c.id.isEmpty())
        return std::nullopt;
    // Two requests of a new character at once: the second waits and finds the first one's voice.
    std::lock_guard lock(parts_->anchorMutex);
    AnchorStore store(parts_->options.anchorsDir);
    std::optional<VoiceAnchor> anchor = store.find(c.id);
    if (!anchor) {
        // The first CSM request of a character without a voice: its sample line, with its own
        // fixed seed, becomes its voice, so it sounds the same from this first use on.
        SpeechRequest sample;
        sample.text = anchorSampleText(c);
        sample.character = c;
        sample.params.seed = fixedVoiceSeed(c.id);
        sample.params.maxSeconds = kAnchorMaxSeconds;
        sample.useVoiceAnchor = false;
        SpeechCallbacks quiet;
        quiet.isCancelled = callbacks.isCancelled;
        const SpeechResult made = synthesize(sample, quiet);
        if (made.cancelled || made.audio.empty())
            return std::nullopt;
        const QString spoken = text::normalizeForSpeech(sample.text);
        anchor = store.keep(c.id, AudioBuffer{made.audio, made.sampleRate, 1}, spoken, c.csmSpeakerId, made.seed, true);
        notes << QStringLiteral("%1 had no voice under CSM yet, so its sample line (seed %2) became its voice and it "
                                "will sound the same from now on; audition it to choose another.")
                     .arg(c.name.isEmpty() ? c.id : c.name).arg(made.seed);
    }
    // The anchor speaks as whatever speaker id this request gives the character (a script
    // numbers its speakers by order of appearance).
    ReferenceSegment segment = anchor->segment;
    segment.speakerId = c.csmSpeakerId;
    return segment;
}

SpeechResult CsmEngine::synthesize(const SpeechRequest& original, const SpeechCallbacks& callbacks) {
    Parts& p = *parts_;
    const auto start = Clock::now();
    if (original.text.trimmed().isEmpty())
        throw Error("There is no text to speak.");
    // Requests side by side come on threads of their own, which start with every core: each
    // takes the thread count the model was loaded with, so a step runs alike on any of them.
    if (p.options.jobStreams > 1)
        configureTorchThreads(p.options.threads);

    SpeechResult result;
    result.engineId = id();
    result.engineName = displayName();
    result.seed = original.params.seed.value_or(freshSeed());

    // The character's voice: its own reference clips, or its anchor (made now on first use).
    SpeechRequest request = original;
    if (auto anchor = voiceAnchor(original, callbacks, result.notes))
        request.character.segments = {*anchor};
    else if (callbacks.cancelled()) {
        result.cancelled = true;
        return result;
    }

    // What CSM is given: the spoken form of each part between pause marks, with the library's
    // and the character's lexicon applied (eSpeak NG reads the text as written).
    const text::Lexicon lexicon = p.options.lexiconsDir.isEmpty()
                                      ? text::Lexicon{}
                                      : text::voiceLexicon(p.options.lexiconsDir, request.character.id);
    QList<text::TextSpan> spans = text::splitAtPauses(original.text);
    for (text::TextSpan& span : spans)
        span.text = text::normalizeForSpeech(span.text, lexicon);
    const QString text = text::spokenForm(original.text, lexicon);

    // A take is repeatable only with a fixed seed, so only those are cached.
    QString cacheKey;
    if (request.params.seed) {
        // Pieces spoken with the voice alone as context sound different from chained ones.
        const bool voiceOnly = p.options.pieceContext == CsmEngineOptions::PieceContext::VoiceOnly;
        cacheKey = AudioCache::key(voiceOnly ? p.identity + QStringLiteral("-voice-only-pieces") : p.identity,
                                   voiceKey(request), text, request.params, result.seed);
        if (auto cached = p.audioCache->lookup(cacheKey); cached && cached->sampleRate == kOutputSampleRate) {
            result.firstAudioSeconds = secondsSince(start);
            for (std::size_t i = 0; i < cached->samples.size() && !callbacks.cancelled(); i += kCachedChunkSamples) {
                const std::size_t n = std::min(kCachedChunkSamples, cached->samples.size() - i);
                callbacks.audio(std::span<const float>(cached->samples).subspan(i, n));
            }
            result.audio = std::move(cached->samples);
            result.postProcessed = true;   // the cache holds finished takes
            result.notes << QStringLiteral("Served from the cache of finished takes.");
            result.generationSeconds = secondsSince(start);
            return result;
        }
    }

    // The character's reference segments (its voice), the same for every piece and take of this
    // voice and every line of it in a script; then as many of a script's latest earlier turns as
    // leave room for a piece, so the voice never falls out of the window (no drift).
    const int window = p.model->config().backbone.maxSeqLen;
    CsmPromptBuilder voice(p.model->config().audioNumCodebooks);
    for (const ReferenceSegment& segment : request.character.segments)
        p.context->appendSegment(voice, segment);
    voice.markReusablePrefix();
    QList<CsmPromptBuilder> turns;
    int turnFrames = 0;
    const int roomForPiece = p.pieceRoom(2 * kShortestPieceChars);
    for (qsizetype i = request.extraContext.size() - 1; i >= 0; --i) {
        CsmPromptBuilder turn(voice.numCodebooks());
        p.context->appendSegment(turn, request.extraContext[i]);
        if (voice.frames() + turnFrames + turn.frames() + roomForPiece >= window) {
            result.notes << QStringLiteral("The %1 earliest lines of the script were left out of the context to keep the "
                                           "voice and the latest lines in the model's window.").arg(i + 1);
            break;
        }
        turnFrames += turn.frames();
        turns.prepend(std::move(turn));
    }
    for (const CsmPromptBuilder& turn : turns)
        voice.append(turn);

    // Pieces in order. Marks at the very start or end fall away with the silence trimmed from the
    // take's edges.
    QList<Piece> pieces;
    const bool sideBySide = p.options.pieceContext == CsmEngineOptions::PieceContext::VoiceOnly;
    // The same pieces either way, so both ways speak the same text in the same pieces.
    const int maxChars = p.maxPieceChars(voice.frames());
    for (const text::TextSpan& span : spans) {
        for (const TextPiece& t : splitText(span.text, maxChars))
            pieces << Piece{t, std::nullopt};
        if (span.pauseAfter > 0 && !pieces.isEmpty())
            pieces.back().pauseMark = pieces.back().pauseMark.value_or(0.0) + span.pauseAfter;
    }
    if (pieces.size() > 1)
        result.notes << (sideBySide ? QStringLiteral("The text was spoken in %1 pieces, up to %2 side by side, each with "
                                                     "the voice alone as context.")
                                          .arg(pieces.size()).arg(p.options.pieceStreams)
                                    : QStringLiteral("The text was spoken in %1 pieces.").arg(pieces.size()));

    TakeRunner runner(*p.streams, p.codec, p.watermarker, callbacks);
    runner.setFramesTotalEstimate(p.framesFor(expectedSpeechSeconds(text)));
    PieceSession session{request, voice, pieces, runner, result, {}};
    if (sideBySide)
        p.speakSideBySide(session);
    else
        p.speakChained(session);
    if (runner.firstAudioAt())
        result.firstAudioSeconds = std::chrono::duration<double>(*runner.firstAudioAt() - start).count();
    if (result.cancelled) {
        result.audio = std::move(session.raw);
        result.generationSeconds = secondsSince(start);
        return result;
    }

    // Post-processing in order: trim, loudness, fades, and the watermark last.
    AudioBuffer finished{std::move(session.raw), kOutputSampleRate, 1};
    finished = trimSilence(finished);
    if (!finished.empty()) {
        normalizeLoudness(finished, p.options.loudnessTargetLufs);
        applyFades(finished, kFadeInSeconds, kFadeOutSeconds);
        p.watermarker.embed(finished.samples);
    }
    result.audio = std::move(finished.samples);
    result.postProcessed = true;
    result.generationSeconds = secondsSince(start);
    if (!cacheKey.isEmpty() && !result.audio.empty())
        p.audioCache->store(cacheKey, result.audio, kOutputSampleRate);
    logger(LogArea::Model)->info("CSM spoke {:.1f} s in {:.1f} s (first audio after {:.2f} s)", result.durationSeconds(),
                                 result.generationSeconds, result.firstAudioSeconds);
    return result;
}

} // namespace echoforge
