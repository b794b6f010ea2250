#pragma once
// The tasks the API has accepted: one ConversationRun each (a text is one turn, a script one per
// line), their state for GET /api/tasks, the events for server-sent events, and the finished
// take on disk for GET /api/tasks/{id}/audio. A task's id is its first job's id, so the same
// number names it in the studio's queue and history.
//
// Lives on the server's thread. Finished tasks are kept (newest `retained`) with their take in
// <cache folder>/api-takes/<id>.wav; older ones are forgotten and their file removed.

#include <deque>
#include <map>
#include <memory>

#include <QDateTime>
#include <QJsonObject>
#include <QObject>

#include "core/audio/audio_encode.h"
#include "core/tasks/conversation.h"

namespace echoforge {
class TaskEngine;
}

namespace echoforge::api {

enum class TaskState { Queued, Running, Done, Failed, Cancelled };
QString taskStateName(TaskState s);   // "queued" | "running" | "done" | "failed" | "cancelled"

struct ApiTask {
    JobId id = 0;
    QString client;
    TaskState state = TaskState::Queued;
    QString voice;                 // the first turn's character id
    QString textPreview;           // the first 80 characters
    AudioFormat format = AudioFormat::Wav;
    int turns = 1;
    int turnsDone = 0;
    double progress = 0;           // 0..1 over all turns
    double etaSeconds = -1;        // negative: not known
    double audioSeconds = 0;
    QString engine;                // display name of the engine that spoke it
    std::uint64_t seed = 0;
    QString error;                 // the sentence of a failed task
    QString takePath;              // the finished take (WAV), empty until done
    QDateTime created;
    QDateTime ended;
    std::unique_ptr<ConversationRun> run;   // while it runs
    std::vector<QJsonObject> events;        // what happened, for a late SSE subscriber (no progress)
    QJsonObject lastProgress;

    bool over() const { return state == TaskState::Done || state == TaskState::Failed || state == TaskState::Cancelled; }
    QJsonObject toJson() const;
};

class ApiTasks : public QObject {
    Q_OBJECT
public:
    // `tasks` is borrowed. Takes are written in `takesDir`.
    ApiTasks(TaskEngine* tasks, QString takesDir, int retained, QObject* parent = nullptr);
    ~ApiTasks() override;

    // Starts a take; returns the task id. Throws Error when the task engine refuses it.
    JobId create(QList<ConversationTurn> turns, const GenerationParams& params, const JobOptions& options,
                 AudioFormat format, const QString& client);
    // False when the task is unknown or already over.
    bool cancel(JobId id);
    void cancelAll();

    const ApiTask* find(JobId id) const;
    // Newest first.
    QList<const ApiTask*> list(int offset, int limit) const;
    int count() const { return int(m_byId.size()); }
    int activeFor(const QString& client) const;
    int active() const;
    // The finished take of a done task in `format`; the last few encodings are kept, so Range
    // requests for the pieces of one file do not encode it again. Throws Error when unreadable.
    QByteArray encodedAudio(JobId id, AudioFormat format);

Q_SIGNALS:
    // name: queued | started | progress | done | failed | cancelled; data: the task's JSON then.
    void event(echoforge::JobId task, const QByteArray& name, const QJsonObject& data);
    void audio(echoforge::JobId task, const QVector<float>& samples);

private:
    void record(ApiTask& task, const QByteArray& name);
    void finish(JobId id, TaskState state, const QString& error);
    void forgetOld();

    TaskEngine* m_tasks;                       // borrowed
    QString m_takesDir;
    int m_retained;
    std::map<JobId, std::unique_ptr<ApiTask>> m_byId;   // by id
    std::deque<JobId> m_ended;                 // finished tasks, oldest first
    std::deque<std::pair<std::pair<JobId, AudioFormat>, QByteArray>> m_encoded;   // newest last
};

} // namespace echoforge::api
