#include "core/engine/espeak_engine.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include <QElapsedTimer>
#include <QFileInfo>
#include <espeak-ng/speak_lib.h>

#include "core/audio/resampler.h"
#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/engine/speech_text.h"
#include "core/text/pause_markup.h"

namespace echoforge {
namespace {

// libespeak-ng keeps its state in globals and is not re-entrant: every call goes through this lock.
std::mutex& espeakMutex() {
    static std::mutex m;
    return m;
}

// Set once under the lock; eSpeak NG's native rate (22050 Hz for its standard voices).
int& espeakSampleRate() {
    static int rate = 0;
    return rate;
}

void initializeLocked() {
    if (espeakSampleRate() > 0)
        return;
    // Synchronous: espeak_Synth() returns when done, audio arrives through the callback.
    constexpr int kBufferMilliseconds = 100;   // callback chunk length
    const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kBufferMilliseconds, nullptr,
                                       espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0)
        throw Error("eSpeak NG could not start: its data files were not found (install the espeak-ng-data package).");
    espeakSampleRate() = rate;
    logger(LogArea::Audio)->info("eSpeak NG {} started at {} Hz", EspeakEngine::libraryVersion(), rate);
}

// What the synth callback needs; passed through espeak's user_data.
struct SynthContext {
    const SpeechCallbacks* callbacks = nullptr;
    StreamingResampler* resampler = nullptr;
    SpeechResult* result = nullptr;
    QElapsedTimer* clock = nullptr;
    std::size_t maxSamples = 0;
    bool stopped = false;        // cancelled or at the length limit
    bool hitLimit = false;
};

void deliver(SynthContext& ctx, std::vector<float> chunk) {
    if (chunk.empty())
        return;
    if (ctx.result->audio.size() + chunk.size() > ctx.maxSamples) {
        chunk.resize(ctx.maxSamples - ctx.result->audio.size());
        ctx.hitLimit = ctx.stopped = true;
    }
    if (ctx.result->audio.empty() && !chunk.empty())
        ctx.result->firstAudioSeconds = ctx.clock->elapsed() / 1000.0;
    ctx.result->audio.insert(ctx.result->audio.end(), chunk.begin(), chunk.end());
    ctx.callbacks->audio(chunk);
}

int synthCallback(short* wav, int count, espeak_EVENT* events) {
    auto* ctx = static_cast<SynthContext*>(events ? events->user_data : nullptr);
    if (!ctx)
        return 0;
    if (ctx->stopped || ctx->callbacks->cancelled()) {
        ctx->stopped = true;
        return 1;   // non-zero asks eSpeak NG to abort this synthesis
    }
    if (wav && count > 0) {
        std::vector<float> pcm(static_cast<std::size_t>(count));
        constexpr float kInt16Scale = 1.0f / 32768.0f;
        for (int i = 0; i < count; ++i)
            pcm[std::size_t(i)] = float(wav[i]) * kInt16Scale;
        deliver(*ctx, ctx->resampler->feed(pcm));
    }
    return ctx->stopped ? 1 : 0;
}

// eSpeak NG accepts any "+variant" suffix silently and speaks the plain voice, so check the file.
bool variantExists(const QString& variant) {
    const char* dataPath = nullptr;
    espeak_Info(&dataPath);
    return dataPath && QFileInfo(QStringLiteral("%1/voices/!v/%2").arg(QString::fromUtf8(dataPath), variant)).isFile();
}

void selectVoiceLocked(const Character& c) {
    if (!c.espeak.variant.isEmpty() && !variantExists(c.espeak.variant))
        throw Error(QStringLiteral("eSpeak NG has no voice variant '%1' (character '%2', field espeak.variant).")
                        .arg(c.espeak.variant, c.id));
    const QString name = c.espeak.variant.isEmpty() ? c.espeak.voice : c.espeak.voice + "+" + c.espeak.variant;
    if (espeak_SetVoiceByName(name.toUtf8().constData()) != EE_OK)
        throw Error(QStringLiteral("eSpeak NG has no voice '%1' (character '%2', field espeak.voice/variant); "
                                   "run 'espeak-ng --voices' to see the installed ones.").arg(name, c.id));
    espeak_SetParameter(espeakRATE, std::clamp(c.espeak.rate, espeakRATE_MINIMUM, espeakRATE_MAXIMUM), 0);
    espeak_SetParameter(espeakPITCH, std::clamp(c.espeak.pitch, 0, 100), 0);
}

} // namespace

EspeakEngine::EspeakEngine() {
    std::lock_guard lock(espeakMutex());
    initializeLocked();
}

QString EspeakEngine::cloningRefusal(const QString& characterName) {
    return QStringLiteral("eSpeak NG cannot clone voices, so it cannot speak '%1', whose voice comes from a clip; "
                          "install the CSM-1B model (docs/models.md) or choose a built-in character.").arg(characterName);
}

QString EspeakEngine::libraryVersion() {
    const char* dataPath = nullptr;
    return QString::fromUtf8(espeak_Info(&dataPath));
}

QStringList EspeakEngine::voiceNames() {
    std::lock_guard lock(espeakMutex());
    initializeLocked();
    QStringList names;
    for (const espeak_VOICE** v = espeak_ListVoices(nullptr); v && *v; ++v) {
        // `languages` is a list of (priority byte, name, NUL) entries ending with a zero byte.
        for (const char* lang = (*v)->languages; lang && *lang; lang += std::strlen(lang + 1) + 2)
            names << QString::fromUtf8(lang + 1);
    }
    names.removeDuplicates();
    names.sort();
    return names;
}

SpeechResult EspeakEngine::synthesize(const SpeechRequest& request, const SpeechCallbacks& callbacks) {
    checkSpeakableText(request.text);
    if (request.character.espeak.voice.isEmpty())
        throw Error(cloningRefusal(request.character.name));

    QElapsedTimer clock;
    clock.start();
    SpeechResult result;
    result.engineId = id();
    result.engineName = displayName();
    result.seed = request.params.seed.value_or(0);   // eSpeak NG is deterministic; the seed changes nothing

    // Pause marks ("[pause 0.8s]") become silence between the parts they separate; eSpeak NG
    // reads the rest as written, with its own rules for numbers and symbols.
    QList<QPair<QStringList, double>> parts;
    int sentenceCount = 0;
    for (const text::TextSpan& span : text::splitAtPauses(request.text)) {
        parts.append({splitIntoSentences(span.text), span.pauseAfter});
        sentenceCount += int(parts.back().first.size());
    }
    std::lock_guard lock(espeakMutex());
    initializeLocked();
    selectVoiceLocked(request.character);

    StreamingResampler resampler(espeakSampleRate(), kOutputSampleRate);
    SynthContext ctx;
    ctx.callbacks = &callbacks;
    ctx.resampler = &resampler;
    ctx.result = &result;
    ctx.clock = &clock;
    ctx.maxSamples = std::size_t(std::max(0.0, request.params.maxSeconds) * kOutputSampleRate);
    espeak_SetSynthCallback(synthCallback);

    SpeechProgress progress;
    progress.unitsTotal = sentenceCount;
    for (const auto& [sentences, pauseAfter] : parts) {
        for (const QString& sentence : sentences) {
            if (ctx.stopped || callbacks.cancelled())
                break;
            const QByteArray utf8 = sentence.toUtf8();
            const espeak_ERROR status = espeak_Synth(utf8.constData(), std::size_t(utf8.size()) + 1, 0, POS_CHARACTER, 0,
                                                     espeakCHARS_UTF8, nullptr, &ctx);
            if (status != EE_OK && !ctx.stopped)
                throw Error(QStringLiteral("eSpeak NG failed to speak the sentence \"%1\".").arg(sentence.left(60)));
            ++progress.unitsDone;
            progress.audioSeconds = double(result.audio.size()) / kOutputSampleRate;
            callbacks.progress(progress);
        }
        if (pauseAfter > 0 && !ctx.stopped && !callbacks.cancelled()) {
            // Silence at eSpeak NG's own rate goes through the same resampler as its speech.
            const std::vector<float> silence(std::size_t(pauseAfter * espeakSampleRate()), 0.0f);
            deliver(ctx, resampler.feed(silence));
        }
    }
    if (!ctx.stopped)
        deliver(ctx, resampler.flush());
    espeak_SetSynthCallback(nullptr);

    result.cancelled = callbacks.cancelled();
    if (ctx.hitLimit)
        result.notes << QStringLiteral("Stopped at the %1 s length limit.").arg(request.params.maxSeconds);
    result.generationSeconds = clock.elapsed() / 1000.0;
    logger(LogArea::Audio)->debug("eSpeak NG spoke {} sentence(s) as {}: {:.2f} s of audio in {:.2f} s",
                                  progress.unitsDone, request.character.id, result.durationSeconds(),
                                  result.generationSeconds);
    return result;
}

} // namespace echoforge
