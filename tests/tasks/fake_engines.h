#pragma once
// Speech engines for the task engine's tests: a sine per frame, optionally slow; texts starting
// with "fail:" throw echoforge::Error, texts starting with "crash:" throw std::runtime_error.

#include <atomic>
#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>

#include <QMutex>
#include <QStringList>
#include <QThread>

#include "core/common/error.h"
#include "core/model/safetensors.h"
#include "core/tasks/inference_lane.h"

namespace echoforge::test {

// What the fake engines saw, shared with the test.
struct EngineLog {
    QMutex mutex;
    QStringList spoken;                    // texts, in the order synthesis started
    QList<SpeechRequest> requests;         // the whole requests, in the same order
    std::atomic<int> created{0};
    std::atomic<int> destroyed{0};
    std::atomic<int> framesAfterCancel{0}; // frames made after isCancelled turned true
    std::atomic<int> cancelledAtFrame{-1};
    std::atomic<int> inside{0};            // synthesize() calls under way now
    std::atomic<int> mostAtOnce{0};        // the most that were ever under way at once

    QStringList spokenSoFar() {
        QMutexLocker lock(&mutex);
        return spoken;
    }
};

struct SineConfig {
    QString id = "espeak";
    QString name = "Fake eSpeak";
    int frames = 3;                        // frames per request
    int frameSamples = 1920;               // 80 ms at 24 kHz, one CSM frame
    int frameDelayMs = 0;                  // time each frame "computes"
    double frequencyHz = 220.0;
    int concurrentRequests = 1;            // maxConcurrentRequests()
    // Each request waits (up to 10 s) for this many to be under way before it makes frames.
    int waitForCompanions = 0;
};

class SineEngine : public SpeechEngine {
public:
    SineEngine(SineConfig config, std::shared_ptr<EngineLog> log) : m_config(std::move(config)), m_log(std::move(log)) {
        ++m_log->created;
    }
    ~SineEngine() override { ++m_log->destroyed; }

    QString id() const override { return m_config.id; }
    QString displayName() const override { return m_config.name; }
    bool supportsCloning() const override { return false; }
    int maxConcurrentRequests() const override { return m_config.concurrentRequests; }

    SpeechResult synthesize(const SpeechRequest& request, const SpeechCallbacks& callbacks) override {
        {
            QMutexLocker lock(&m_log->mutex);
            m_log->spoken.append(request.text);
            m_log->requests.append(request);
        }
        struct Inside {
            EngineLog& log;
            explicit Inside(EngineLog& l) : log(l) {
                const int now = ++log.inside;
                for (int most = log.mostAtOnce; now > most && !log.mostAtOnce.compare_exchange_weak(most, now);) {}
            }
            ~Inside() { --log.inside; }
        } inside(*m_log);
        // A cancelled job stops waiting too: once the first of its companions has been cancelled
        // and left, the others would otherwise wait out the whole 10 s.
        for (int waited = 0; m_log->inside < m_config.waitForCompanions && waited < 10000 && !callbacks.cancelled(); waited += 5)
            QThread::msleep(5);
        if (request.text.startsWith("fail:"))
            throw Error(QStringLiteral("The fake engine refuses \"%1\".").arg(request.text));
        if (request.text.startsWith("crash:"))
            throw std::runtime_error("index out of range");
        SpeechResult result;
        result.engineId = m_config.id;
        result.engineName = m_config.name;
        result.seed = request.params.seed.value_or(42);
        for (int frame = 0; frame < m_config.frames; ++frame) {
            if (callbacks.cancelled()) {
                m_log->cancelledAtFrame = frame;
                result.cancelled = true;
                return result;
            }
            if (m_config.frameDelayMs > 0)
                QThread::msleep(m_config.frameDelayMs);
            std::vector<float> chunk(m_config.frameSamples);
            for (int i = 0; i < m_config.frameSamples; ++i) {
                const double t = double(frame * m_config.frameSamples + i) / kOutputSampleRate;
                chunk[i] = float(0.5 * std::sin(2 * std::numbers::pi * m_config.frequencyHz * t));
            }
            result.audio.insert(result.audio.end(), chunk.begin(), chunk.end());
            if (callbacks.cancelled())
                ++m_log->framesAfterCancel;
            callbacks.audio(chunk);
            callbacks.progress({frame + 1, m_config.frames, result.durationSeconds()});
        }
        return result;
    }

private:
    SineConfig m_config;
    std::shared_ptr<EngineLog> m_log;
};

inline EngineFactory sineFactory(SineConfig config, std::shared_ptr<EngineLog> log) {
    return [config, log](const LoadProgress& progress) -> std::unique_ptr<SpeechEngine> {
        progress(0.5);
        progress(1.0);
        return std::make_unique<SineEngine>(config, log);
    };
}

// A CSM whose weights file is corrupt: loading reads half of it, then gives up.
inline EngineFactory corruptModelFactory(std::shared_ptr<EngineLog> log) {
    return [log](const LoadProgress& progress) -> std::unique_ptr<SpeechEngine> {
        ++log->created;
        progress(0.5);
        throw Error("csm/model.safetensors is corrupt: its header ends past the end of the file.");
    };
}

// A CSM that holds real weights: it loads a safetensors file with the real loader, as CsmModel
// does, and reads every byte of it for each request (a model reads all its weights per frame),
// refusing to speak if they changed since the load.
class WeightsEngine : public SineEngine {
public:
    WeightsEngine(SineConfig config, std::shared_ptr<EngineLog> log, std::shared_ptr<const SafetensorsFile> weights)
        : SineEngine(std::move(config), std::move(log)), m_weights(std::move(weights)), m_checksum(checksum()) {}

    SpeechResult synthesize(const SpeechRequest& request, const SpeechCallbacks& callbacks) override {
        if (checksum() != m_checksum)
            throw Error(QStringLiteral("The weights of %1 changed under the loaded model.").arg(m_weights->path()));
        return SineEngine::synthesize(request, callbacks);
    }

private:
    quint64 checksum() const {
        quint64 sum = 0;
        for (const TensorEntry& entry : m_weights->entries())
            for (std::size_t i = 0; i < entry.bytes; ++i)
                sum = sum * 31 + std::to_integer<unsigned>(m_weights->data(entry)[i]);
        return sum;
    }

    std::shared_ptr<const SafetensorsFile> m_weights;
    quint64 m_checksum;
};

inline EngineFactory weightsFactory(SineConfig config, std::shared_ptr<EngineLog> log, QString weightsPath) {
    return [config, log, weightsPath](const LoadProgress& progress) -> std::unique_ptr<SpeechEngine> {
        progress(0.5);
        auto weights = SafetensorsFile::open(weightsPath);   // throws the sentence a user sees
        progress(1.0);
        return std::make_unique<WeightsEngine>(config, log, std::move(weights));
    };
}

inline SpeechRequest requestFor(const QString& text) {
    SpeechRequest r;
    r.text = text;
    r.character.id = "narrator";
    r.character.name = "Narrator";
    r.params.seed = 7;
    return r;
}

} // namespace echoforge::test
