#include "ui/gallery/sample_controller.h"

#include <QPointer>
#include <QtConcurrent>
#include <qcoro/qcorofuture.h>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "core/tasks/task_engine.h"
#include "core/tasks/sample_cache.h"
#include "core/voices/voice_library.h"
#include "ui/player/player_controller.h"

namespace echoforge::ui {

SampleController::SampleController(TaskEngine* tasks, VoiceLibrary* library, SampleCache* cache,
                                   PlayerController* player, QObject* parent)
    : QObject(parent), tasks_(tasks), library_(library), cache_(cache), player_(player) {
    connect(player_, &PlayerController::stateChanged, this, [this](PlayerController::State s) {
        if (s != PlayerController::State::Playing) setPlaying({});
    });
    connect(tasks_, &TaskEngine::finished, this, [this](JobId id, const JobResult& r) {
        if (id != job_) return;
        job_ = 0;
        const QString character = busyId_;
        setBusy({});
        if (r.audio) play(character, *r.audio, r.speech.sampleRate);
    });
    connect(tasks_, &TaskEngine::failed, this, [this](JobId id, const QString& sentence) {
        if (id != job_) return;
        job_ = 0;
        setBusy({});
        Q_EMIT failed(sentence);
    });
    connect(tasks_, &TaskEngine::cancelled, this, [this](JobId id) {
        if (id != job_) return;
        job_ = 0;
        setBusy({});
    });
}

void SampleController::toggle(const QString& characterId, const QString& engineId) {
    if (characterId == playingId_) {
        player_->stop();
        return;
    }
    if (characterId == busyId_)
        return;
    const auto character = library_->find(characterId);
    if (!character)
        return;
    if (engineId.isEmpty()) {
        Q_EMIT failed(tr("%1 has a cloned voice, which only CSM-1B can speak; install CSM to hear it.").arg(character->name));
        return;
    }
    player_->stop();
    if (job_ != 0)
        tasks_->cancel(job_);
    setBusy(characterId);

    if (const auto cached = cache_->find(engineId, *character)) {
        // Reading the WAV is file work: off the GUI thread.
        QPointer<SampleController> self(this);
        const QString path = *cached;
        auto read = [path] { return readAudio(path, ChannelMode::MixToMono); };
        [](QPointer<SampleController> self, QString id, QFuture<AudioBuffer> future) -> QCoro::Task<> {
            try {
                AudioBuffer audio = co_await future;
                if (self && self->busyId_ == id) {
                    self->setBusy({});
                    self->play(id, std::move(audio.samples), audio.sampleRate);
                }
            } catch (const Error& e) {
                if (self) {
                    self->setBusy({});
                    Q_EMIT self->failed(e.sentence());
                }
            }
        }(self, characterId, QtConcurrent::run(read));
        return;
    }
    SpeechRequest request;
    request.text = character->sampleText;
    request.character = *character;
    request.params.seed = 1;   // the same take each time, like SampleCache::obtain
    JobOptions options;
    options.priority = JobPriority::Interactive;
    options.engine = engineId == QLatin1String("csm") ? EngineSelection::Csm : EngineSelection::Espeak;
    options.outputPath = cache_->pathFor(engineId, *character);
    options.keepInHistory = false;
    try {
        job_ = tasks_->submit(request, options);
    } catch (const Error& e) {
        setBusy({});
        Q_EMIT failed(e.sentence());
    }
}

void SampleController::play(const QString& characterId, std::vector<float> audio, int sampleRate) {
    player_->setClip(std::move(audio), sampleRate);
    player_->play();
    if (player_->state() == PlayerController::State::Playing)
        setPlaying(characterId);
    else if (!player_->outputAvailable())
        Q_EMIT failed(player_->outputUnavailableReason());
}

void SampleController::setPlaying(const QString& id) {
    if (id == playingId_) return;
    playingId_ = id;
    Q_EMIT playingChanged(id);
}

void SampleController::setBusy(const QString& id) {
    const QString previous = busyId_;
    busyId_ = id;
    if (!previous.isEmpty()) Q_EMIT busyChanged(previous, false);
    if (!id.isEmpty()) Q_EMIT busyChanged(id, true);
}

} // namespace echoforge::ui
