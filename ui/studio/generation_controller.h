#pragma once
// Turns the studio's "Generate" into a take on the TaskEngine and streams its audio into the
// player. The take itself (one job per turn, context, speaker ids, pauses) is core's
// ConversationRun, the same code the HTTP API runs; this class only ties it to the player.

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

#include "core/engine/speech_engine.h"
#include "core/tasks/conversation.h"
#include "core/tasks/job.h"

namespace echoforge {
class TaskEngine;
class VoiceLibrary;
}

namespace echoforge::ui {

class PlayerController;

class GenerationController : public QObject {
    Q_OBJECT
public:
    static constexpr double kTurnPauseSeconds = ConversationRun::kTurnPauseSeconds;

    // All borrowed.
    GenerationController(TaskEngine* tasks, VoiceLibrary* library, PlayerController* player, QObject* parent = nullptr);

    // Queues `text` spoken by `characterId`. Returns false (and emits failed) when refused.
    bool generateText(const QString& text, const QString& characterId, const GenerationParams& params);
    // Queues a script ("Name: text" lines). Names are matched to characters by full or first
    // name, case-insensitively.
    bool generateScript(const QString& script, const GenerationParams& params);
    // Stops the running take (Esc).
    void cancel();
    // Speaks again, as a new take, a job this controller submitted. False when it did not.
    bool retry(JobId id);

    bool busy() const { return run_ && run_->running(); }
    JobId currentJob() const { return run_ ? run_->currentJob() : 0; }
    // The last request submitted (what the sliders produced).
    const SpeechRequest& lastRequest() const { return lastRequest_; }
    // The character whose display name (or first name) is `name`, case-insensitively.
    std::optional<Character> characterNamed(const QString& name) const;

Q_SIGNALS:
    void submitted(echoforge::JobId id);
    void takeFinished(const echoforge::JobResult& last);
    void failed(const QString& sentence);
    void busyChanged(bool busy);

private:
    bool start(QList<ConversationTurn> turns, const GenerationParams& params, QList<ReferenceSegment> context = {});
    void endTake();

    TaskEngine* tasks_;
    VoiceLibrary* library_;
    PlayerController* player_;
    std::unique_ptr<ConversationRun> run_;    // the take being made, or the last one
    SpeechRequest lastRequest_;
    QHash<JobId, SpeechRequest> submitted_;   // every job submitted, for retry
};

} // namespace echoforge::ui
