#pragma once
// A speech engine for UI tests: records every request it is given and answers with a tone of
// a fixed length, delivered in two chunks.

#include <cmath>
#include <memory>
#include <mutex>

#include <QList>

#include "core/engine/speech_engine.h"

struct RecordedRequests {
    std::mutex mutex;
    QList<echoforge::SpeechRequest> requests;

    QList<echoforge::SpeechRequest> all() {
        std::lock_guard lock(mutex);
        return requests;
    }
};

class RecordingEngine : public echoforge::SpeechEngine {
public:
    static constexpr int kSamples = 12000;   // 0.5 s at 24 kHz

    explicit RecordingEngine(std::shared_ptr<RecordedRequests> record) : record_(std::move(record)) {}

    QString id() const override { return QStringLiteral("espeak"); }
    QString displayName() const override { return QStringLiteral("eSpeak NG"); }
    bool supportsCloning() const override { return false; }

    echoforge::SpeechResult synthesize(const echoforge::SpeechRequest& request,
                                       const echoforge::SpeechCallbacks& callbacks) override {
        {
            std::lock_guard lock(record_->mutex);
            record_->requests << request;
        }
        echoforge::SpeechResult r;
        r.engineId = id();
        r.engineName = displayName();
        r.seed = request.params.seed.value_or(42);
        r.audio.resize(kSamples);
        for (int i = 0; i < kSamples; ++i) r.audio[std::size_t(i)] = 0.3f * float(std::sin(i * 0.05));
        callbacks.audio(std::span<const float>(r.audio).first(kSamples / 2));
        callbacks.progress({1, 2, 0.25});
        callbacks.audio(std::span<const float>(r.audio).subspan(kSamples / 2));
        callbacks.progress({2, 2, 0.5});
        return r;
    }

private:
    std::shared_ptr<RecordedRequests> record_;
};
