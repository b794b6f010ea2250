#pragma once
// Turns the studio's "Generate" into jobs on the TaskEngine and streams their audio into the
// player. Plain text is one job; a script is one job per turn, run in order, each turn given
// the earlier ones as context, all rendered into one track with a short pause between turns.

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include "core/engine/speech_engine.h"
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
    static constexpr double kTurnPauseSeconds = 0.35;

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

    bool busy() const { return !turns_.isEmpty(); }
    JobId currentJob() const { return currentJob_; }
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
    struct Turn {
        Character character;
        QString text;
    };
    bool start(QList<Turn> turns, const GenerationParams& params, QList<ReferenceSegment> context = {});
    bool submitNext();
    void onChunk(JobId id, const QVector<float>& samples);
    void onFinished(JobId id, const JobResult& result);
    void onFailed(JobId id, const QString& sentence);
    void onCancelled(JobId id);
    void endTake();

    TaskEngine* tasks_;
    VoiceLibrary* library_;
    PlayerController* player_;
    QList<Turn> turns_;                 // the turns not yet finished, the current one first
    QList<ReferenceSegment> context_;   // finished turns, for the next one's context
    QList<QString> speakers_;           // speaker ids by order of first appearance
    GenerationParams params_;
    SpeechRequest lastRequest_;
    QHash<JobId, SpeechRequest> submitted_;   // every job submitted, for retry
    JobId currentJob_ = 0;
    bool chunksArrived_ = false;
    bool firstTurn_ = true;
};

} // namespace echoforge::ui
