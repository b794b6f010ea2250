#pragma once
// A take made of turns: plain text is one turn, a script ("Name: text" lines) one turn per line.
// The studio's Generate and the HTTP API's /api/generate both build and run takes with this code,
// so a script sounds the same whichever front end sent it.
//
// A ConversationRun submits one job per turn to the TaskEngine, in order; each turn gets the
// earlier ones as context and, in a conversation, its own CSM speaker id by order of first
// appearance. The audio of all turns arrives as one stream, with a short pause between turns.
//
//   auto turns = resolveScript(script, library.characters());   // throws naming the line
//   ConversationRun run(&tasks, turns, params, options);
//   connect(&run, &ConversationRun::audio, player, ...);
//   run.start();                                                 // throws when refused

#include <optional>

#include <QList>
#include <QObject>
#include <QVector>

#include "core/engine/speech_engine.h"
#include "core/tasks/job.h"

namespace echoforge {

class TaskEngine;

struct ConversationTurn {
    Character character;
    QString text;
};

// The character whose id, display name or first name is `name`, case-insensitively; exact
// names win over first names.
std::optional<Character> characterNamed(const QList<Character>& characters, const QString& name);

// The turns of a script, each matched to a character. Throws Error (InvalidInput) with the
// parser's sentence, or naming the line whose speaker is unknown.
QList<ConversationTurn> resolveScript(const QString& script, const QList<Character>& characters);

class ConversationRun : public QObject {
    Q_OBJECT
public:
    static constexpr double kTurnPauseSeconds = 0.35;

    // `tasks` is borrowed and must outlive the run. `context`: earlier turns the first one follows
    // (a retake of a later turn).
    ConversationRun(TaskEngine* tasks, QList<ConversationTurn> turns, GenerationParams params, JobOptions options,
                    QList<ReferenceSegment> context = {}, QObject* parent = nullptr);

    // Submits the first turn and returns its job id. Throws Error with the reason when the task
    // engine refuses it (then nothing runs).
    JobId start();
    // Stops the running turn (within a frame) and drops the rest; emits cancelled() when it lands.
    void cancel();

    bool running() const { return !m_turns.isEmpty(); }
    JobId currentJob() const { return m_currentJob; }
    int turnCount() const { return m_turnCount; }
    int turnsDone() const { return m_turnCount - int(m_turns.size()); }
    QList<JobId> jobs() const { return m_jobs; }
    // The whole take so far, pauses included (24 kHz mono).
    const std::vector<float>& take() const { return m_take; }

Q_SIGNALS:
    void submitted(echoforge::JobId id, const echoforge::SpeechRequest& request);
    void started(echoforge::JobId id, const QString& engineName);
    void progress(echoforge::JobId id, const echoforge::JobProgress& progress);
    void audio(const QVector<float>& samples);     // the next piece of the take
    void finished(const echoforge::JobResult& last);   // every turn is done
    void failed(const QString& sentence);
    void cancelled();

private:
    void submitNext();
    void onChunk(JobId id, const QVector<float>& samples);
    void onFinished(JobId id, const JobResult& result);
    void onFailed(JobId id, const QString& sentence);
    void onCancelled(JobId id);
    void end();

    TaskEngine* m_tasks;                  // borrowed
    QList<ConversationTurn> m_turns;      // not yet finished, the current one first
    QList<ReferenceSegment> m_context;    // finished turns, context for the next
    QList<QString> m_speakers;            // character ids by order of first appearance
    GenerationParams m_params;
    JobOptions m_options;
    QList<JobId> m_jobs;                  // one per submitted turn
    std::vector<float> m_take;
    JobId m_currentJob = 0;
    int m_turnCount = 0;
    bool m_conversation = false;          // more than one turn, or context given
    bool m_chunksArrived = false;
};

} // namespace echoforge
