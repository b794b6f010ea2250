#include "ui/studio/generation_controller.h"

#include "core/common/error.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"
#include "ui/player/player_controller.h"

namespace echoforge::ui {

GenerationController::GenerationController(TaskEngine* tasks, VoiceLibrary* library, PlayerController* player,
                                           QObject* parent)
    : QObject(parent), tasks_(tasks), library_(library), player_(player) {}

std::optional<Character> GenerationController::characterNamed(const QString& name) const {
    return echoforge::characterNamed(library_->characters(), name);
}

bool GenerationController::generateText(const QString& text, const QString& characterId,
                                        const GenerationParams& params) {
    const auto character = library_->find(characterId);
    if (!character) {
        Q_EMIT failed(tr("Pick a character in the gallery first."));
        return false;
    }
    return start({ConversationTurn{*character, text}}, params);
}

bool GenerationController::generateScript(const QString& script, const GenerationParams& params) {
    QList<ConversationTurn> turns;
    try {
        turns = resolveScript(script, library_->characters());
    } catch (const Error& e) {
        Q_EMIT failed(e.sentence());
        return false;
    }
    return start(std::move(turns), params);
}

bool GenerationController::start(QList<ConversationTurn> turns, const GenerationParams& params,
                                 QList<ReferenceSegment> context) {
    if (run_) {   // a new take replaces the running one; its late signals must not reach the player
        run_->cancel();
        run_->disconnect(this);
    }
    const QString title = turns.size() == 1 ? turns.front().character.name : tr("Conversation");
    JobOptions options;
    options.priority = JobPriority::Interactive;
    run_ = std::make_unique<ConversationRun>(tasks_, std::move(turns), params, options, std::move(context));
    connect(run_.get(), &ConversationRun::submitted, this, [this](JobId id, const SpeechRequest& request) {
        lastRequest_ = request;
        submitted_.insert(id, request);
        Q_EMIT submitted(id);
    });
    connect(run_.get(), &ConversationRun::audio, this, [this](const QVector<float>& samples) {
        player_->appendStream(std::span<const float>(samples.constData(), std::size_t(samples.size())));
    });
    connect(run_.get(), &ConversationRun::finished, this, [this](const JobResult& last) {
        endTake();
        Q_EMIT takeFinished(last);
    });
    connect(run_.get(), &ConversationRun::failed, this, [this](const QString& sentence) {
        endTake();
        Q_EMIT failed(sentence);
    });
    connect(run_.get(), &ConversationRun::cancelled, this, &GenerationController::endTake);
    try {
        run_->start();
    } catch (const Error& e) {
        Q_EMIT failed(e.sentence());
        return false;
    }
    player_->beginStream(kOutputSampleRate, title);
    Q_EMIT busyChanged(true);
    return true;
}

bool GenerationController::retry(JobId id) {
    const auto it = submitted_.constFind(id);
    if (it == submitted_.constEnd())
        return false;
    const SpeechRequest request = *it;
    return start({ConversationTurn{request.character, request.text}}, request.params, request.extraContext);
}

void GenerationController::cancel() {
    if (run_)
        run_->cancel();
}

void GenerationController::endTake() {
    player_->finishStream();
    Q_EMIT busyChanged(false);
}

} // namespace echoforge::ui
