#pragma once
// The interface every speech engine implements (CSM, eSpeak NG): a request in, 24 kHz mono
// float audio out, delivered in chunks as it is made. Engines are not re-entrant: one
// synthesize() at a time per instance; the task engine sees to that.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include <QString>
#include <QStringList>

#include "core/audio/audio_buffer.h"
#include "core/voices/character.h"

namespace echoforge {

struct GenerationParams {
    double temperature = 0.9;
    int topK = 50;
    std::optional<std::uint64_t> seed;   // empty: pick one (the result says which)
    double maxSeconds = 30.0;            // longest audio to generate for the request
};

struct SpeechRequest {
    QString text;
    Character character;                 // resolved by the caller from the voice library
    GenerationParams params;
    // Earlier turns of a conversation (script mode): spoken before `text`, used as context.
    QList<ReferenceSegment> extraContext;
    // CSM: a character without reference segments speaks with its kept voice (its anchor, made at
    // its first request when there is none). Auditions turn this off: they look for a voice.
    bool useVoiceAnchor = true;
};

struct SpeechProgress {
    int unitsDone = 0;        // frames (CSM) or text pieces (eSpeak NG)
    int unitsTotal = 0;       // best estimate; may grow
    double audioSeconds = 0;  // audio made so far
};

// How an engine talks back while it works. Called on the engine's thread.
struct SpeechCallbacks {
    std::function<void(std::span<const float> samples)> onAudio;   // 24 kHz mono chunk
    std::function<void(const SpeechProgress&)> onProgress;
    std::function<bool()> isCancelled;                            // checked often; true stops work

    void audio(std::span<const float> s) const { if (onAudio) onAudio(s); }
    void progress(const SpeechProgress& p) const { if (onProgress) onProgress(p); }
    bool cancelled() const { return isCancelled && isCancelled(); }
};

struct SpeechResult {
    std::vector<float> audio;            // the whole take, 24 kHz mono
    int sampleRate = kOutputSampleRate;
    QString engineId;                    // "csm" | "espeak"
    QString engineName;                  // "CSM-1B", "eSpeak NG"
    std::uint64_t seed = 0;              // the seed used
    QStringList notes;                   // what happened: retries, splits, cache hits
    double generationSeconds = 0;        // wall time spent
    double firstAudioSeconds = 0;        // time to first chunk
    bool cancelled = false;
    // The engine already trimmed, normalised and faded the take (and marked it, last), so it is
    // written as it is: post-processing it again would undo "watermark last".
    bool postProcessed = false;

    double durationSeconds() const { return double(audio.size()) / sampleRate; }
};

class SpeechEngine {
public:
    virtual ~SpeechEngine() = default;

    virtual QString id() const = 0;
    virtual QString displayName() const = 0;
    // Whether the engine can speak in a voice cloned from a clip.
    virtual bool supportsCloning() const = 0;
    // A cloning engine encodes a reference clip ahead of its first use, so later generations
    // find it ready (the clone command calls this); returns whether it was ready already.
    // Engines that read no clip have nothing to prepare.
    virtual bool prepareReference(const QString& audioPath) {
        Q_UNUSED(audioPath);
        return false;
    }

    // How many synthesize() calls may run at once, each on its own thread; an engine that takes
    // more than one batches their work (CSM: queued jobs side by side, each weight read serving
    // every job). Asked once the engine is made; 1: one request at a time.
    virtual int maxConcurrentRequests() const { return 1; }

    // Makes the speech. Throws echoforge::Error with a sentence on failure. On cancellation it
    // returns what it has with `cancelled` set.
    virtual SpeechResult synthesize(const SpeechRequest& request, const SpeechCallbacks& callbacks) = 0;
};

} // namespace echoforge
