#include "ui/studio/generation_controller.h"

#include "core/common/error.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"
#include "ui/player/player_controller.h"
#include "ui/studio/script.h"

namespace echoforge::ui {

GenerationController::GenerationController(TaskEngine* tasks, VoiceLibrary* library, PlayerController* player,
                                           QObject* parent)
    : QObject(parent), tasks_(tasks), library_(library), player_(player) {
    connect(tasks_, &TaskEngine::audioChunk, this, &GenerationController::onChunk);
    connect(tasks_, &TaskEngine::finished, this, &GenerationController::onFinished);
    connect(tasks_, &TaskEngine::failed, this, &GenerationController::onFailed);
    connect(tasks_, &TaskEngine::cancelled, this, &GenerationController::onCancelled);
}

std::optional<Character> GenerationController::characterNamed(const QString& name) const {
    const QString wanted = name.trimmed();
    const QList<Character> all = library_->characters();
    for (const Character& c : all)
        if (c.name.compare(wanted, Qt::CaseInsensitive) == 0 || c.id == wanted.toLower())
            return c;
    for (const Character& c : all)
        if (c.name.section(' ', 0, 0).compare(wanted, Qt::CaseInsensitive) == 0)
            return c;
    return std::nullopt;
}

bool GenerationController::generateText(const QString& text, const QString& characterId,
                                        const GenerationParams& params) {
    const auto character = library_->find(characterId);
    if (!character) {
        Q_EMIT failed(tr("Pick a character in the gallery first."));
        return false;
    }
    return start({Turn{*character, text}}, params);
}

bool GenerationController::generateScript(const QString& script, const GenerationParams& params) {
    const ScriptParse parse = parseScript(script);
    if (!parse.error.isEmpty()) {
        Q_EMIT failed(parse.error);
        return false;
    }
    QList<Turn> turns;
    for (const ScriptTurn& t : parse.turns) {
        const auto character = characterNamed(t.speaker);
        if (!character) {
            Q_EMIT failed(tr("Line %1: there is no character called %2; check the name in the gallery.")
                            .arg(t.line).arg(t.speaker));
            return false;
        }
        turns << Turn{*character, t.text};
    }
    return start(std::move(turns), params);
}

bool GenerationController::start(QList<Turn> turns, const GenerationParams& params, QList<ReferenceSegment> context) {
    if (busy())
        cancel();
    turns_ = std::move(turns);
    context_ = std::move(context);
    speakers_.clear();
    params_ = params;
    firstTurn_ = true;
    if (!submitNext())
        return false;
    player_->beginStream(kOutputSampleRate, turns_.size() == 1 ? turns_.front().character.name : tr("Conversation"));
    Q_EMIT busyChanged(true);
    return true;
}

bool GenerationController::submitNext() {
    const Turn& turn = turns_.front();
    if (!speakers_.contains(turn.character.id))
        speakers_ << turn.character.id;
    SpeechRequest request;
    request.text = turn.text;
    request.character = turn.character;
    request.params = params_;
    request.extraContext = context_;
    // In a conversation every speaker gets its own CSM speaker id, by order of appearance.
    if (context_.size() > 0 || turns_.size() > 1)
        request.character.csmSpeakerId = int(speakers_.indexOf(turn.character.id));
    lastRequest_ = request;
    try {
        JobOptions options;
        options.priority = JobPriority::Interactive;
        currentJob_ = tasks_->submit(request, options);
        submitted_.insert(currentJob_, request);
    } catch (const Error& e) {
        turns_.clear();
        currentJob_ = 0;
        Q_EMIT failed(e.sentence());
        return false;
    }
    chunksArrived_ = false;
    Q_EMIT submitted(currentJob_);
    return true;
}

void GenerationController::onChunk(JobId id, const QVector<float>& samples) {
    if (id != currentJob_)
        return;
    if (!chunksArrived_ && !firstTurn_) {
        const std::vector<float> pause(static_cast<std::size_t>(kTurnPauseSeconds * kOutputSampleRate), 0.0f);
        player_->appendStream(pause);
    }
    chunksArrived_ = true;
    player_->appendStream(std::span<const float>(samples.constData(), std::size_t(samples.size())));
}

void GenerationController::onFinished(JobId id, const JobResult& result) {
    if (id != currentJob_)
        return;
    // An engine that delivers no chunks: the whole take at once.
    if (!chunksArrived_ && result.audio && !result.audio->empty())
        onChunk(id, QVector<float>(result.audio->begin(), result.audio->end()));
    const Turn done = turns_.takeFirst();
    context_ << ReferenceSegment{result.audioPath, done.text, int(speakers_.indexOf(done.character.id))};
    firstTurn_ = false;
    if (turns_.isEmpty()) {
        endTake();
        Q_EMIT takeFinished(result);
    } else if (!submitNext()) {
        endTake();
    }
}

void GenerationController::onFailed(JobId id, const QString& sentence) {
    if (id != currentJob_)
        return;
    turns_.clear();
    endTake();
    Q_EMIT failed(sentence);
}

void GenerationController::onCancelled(JobId id) {
    if (id != currentJob_)
        return;
    turns_.clear();
    endTake();
}

bool GenerationController::retry(JobId id) {
    const auto it = submitted_.constFind(id);
    if (it == submitted_.constEnd())
        return false;
    const SpeechRequest& request = *it;
    return start({Turn{request.character, request.text}}, request.params, request.extraContext);
}

void GenerationController::cancel() {
    if (currentJob_ != 0)
        tasks_->cancel(currentJob_);
}

void GenerationController::endTake() {
    currentJob_ = 0;
    player_->finishStream();
    Q_EMIT busyChanged(false);
}

} // namespace echoforge::ui
