#pragma once
// The generation engine every front end sends work to (the studio, the CLI, the local API).
//
// Jobs wait in one queue ordered by priority (Interactive > Normal > Batch), first come first
// served within a priority. Each speech engine instance has its own inference thread (an
// InferenceLane) and runs one job at a time, or several once an engine that takes them at once
// is loaded (CSM: queued jobs side by side in one batch); writing the WAV files and the history
// entry runs in a QThreadPool, so the next job starts while the last one is written.
//
// Signals are emitted on the TaskEngine's thread, from its event loop (never inside submit or
// cancel), so receivers on other threads get them queued. submit() and cancel() may be called
// from any thread.
//
//   TaskEngine engine(engines, TaskEngineConfig::fromSettings(settings, paths));
//   JobResult r = co_await engine.generate(request);   // throws the job's echoforge::Error

#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include <QFuture>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QPromise>
#include <QThreadPool>
#include <QTimer>
#include <QVector>
#include <qcoro/qcorotask.h>

#include "core/common/process_lock.h"
#include "core/tasks/history_store.h"
#include "core/tasks/inference_lane.h"
#include "core/tasks/job.h"
#include "core/tasks/take_writer.h"

namespace echoforge {

struct AppPaths;
struct Settings;

// The lock file that says a task engine (a studio, a server) is using a history folder; a restore
// takes it too, so it never replaces a folder that is in use (core/backup).
QString historyLockFile(const QString& historyDir);

// How to make the engines. The fallback (eSpeak NG) is always there; CSM may be missing.
struct EngineSet {
    EngineFactory makeFallback;
    EngineFactory makeCsm;                       // empty: CSM is not installed
    QString fallbackName = QStringLiteral("eSpeak NG");
    QString csmName = QStringLiteral("CSM-1B");
};

struct TaskEngineConfig {
    int queueLimit = 100;                        // jobs queued or running at once
    int textLimit = 10000;                       // characters per request
    int audioLimitSeconds = 600;                 // longest audio a request may ask for
    std::chrono::milliseconds modelIdleUnload = std::chrono::minutes(15);   // 0: never unload
    QString historyDir;                          // empty: no history and nothing survives a restart
    int writerThreads = 2;                       // the pool that writes files and history
    PostProcess postProcess;                     // on each take before it is written; empty: as made

    static TaskEngineConfig fromSettings(const Settings& settings, const AppPaths& paths);
};

class TaskEngine : public QObject {
    Q_OBJECT
public:
    // Throws echoforge::Error when the history folder cannot be opened, or when another task
    // engine (in this process or another) has it: job ids are read from it at start.
    TaskEngine(EngineSet engines, TaskEngineConfig config, QObject* parent = nullptr);
    // Stops running jobs within a frame. Queued and running jobs stay in the database, to be
    // offered again on the next start.
    ~TaskEngine() override;

    // Queues a job and returns its id. Thread-safe. Throws echoforge::Error with the reason when
    // the request is refused (empty or too long text, too much audio asked, queue full, engine
    // not installed); a refusal changes nothing else.
    JobId submit(SpeechRequest request, JobOptions options = {});
    // The same as a coroutine: the job's result, or its error thrown (JobCancelled when cancelled).
    QCoro::Task<JobResult> generate(SpeechRequest request, JobOptions options = {});

    // Stops a queued or running job (a running one within one frame). Thread-safe. False when
    // the job is unknown or already over.
    bool cancel(JobId id);
    void cancelAll();
    // Queues a failed or cancelled job again, whoever submitted it (the studio, a sample, the last
    // run), with the same request and options; returns the new job's id. Throws echoforge::Error
    // when the job is unknown, not over, or long forgotten (the last kRetainedEndedJobs are kept),
    // or when the queue refuses it.
    JobId retry(JobId id);
    static constexpr int kRetainedEndedJobs = 200;

    // The state of a job that is not over yet; empty once it is (the engine forgets it).
    std::optional<JobState> state(JobId id) const;
    int activeJobCount() const;                  // queued, running or being written

    // The engine that serves `auto` requests now, by display name.
    QString activeEngineName() const;
    bool csmInstalled() const { return bool(m_engines.makeCsm); }
    bool csmLoaded() const;
    QString csmLoadError() const;                // why CSM failed to load; empty when it did not
    // Clears a load failure so the next auto request tries CSM again.
    void retryCsm();
    // Loads CSM on its lane now, ahead of the first job (the studio calls this once its window
    // has painted), when CSM is installed, idle, not loaded and has not failed to load. Jobs
    // queued meanwhile start when the load ends; a failed load is reported as for a job.
    void preloadCsm();
    // CSM made anew from now on (new engine, device, threads or precision settings), or no CSM
    // (empty factory). The CSM lane is swapped at once when it is free, else when its job ends;
    // the new model loads with the next job. Queued jobs that asked for CSM alone fail when CSM
    // goes away.
    void replaceCsm(EngineFactory makeCsm);
    void setModelIdleUnloadInterval(std::chrono::milliseconds interval);

    // The history, or null when the engine runs without one.
    HistoryStore* history() const { return m_history.get(); }
    // Jobs that were queued or running when the app last stopped (a crash included).
    QList<PendingJob> pendingFromLastRun() const;
    // Queues them again (with new ids); those refused stay on offer. Returns the new ids.
    QList<JobId> resubmitPending();
    void discardPending();

Q_SIGNALS:
    void queued(echoforge::JobId id, const echoforge::JobSummary& summary);
    void started(echoforge::JobId id, const QString& engineName);
    void progress(echoforge::JobId id, const echoforge::JobProgress& progress);
    void audioChunk(echoforge::JobId id, const QVector<float>& samples);
    void finished(echoforge::JobId id, const echoforge::JobResult& result);
    void failed(echoforge::JobId id, const QString& sentence);
    void cancelled(echoforge::JobId id);

    void modelLoadProgress(double fraction);
    void modelLoaded(const QString& engineName);
    void modelLoadFailed(const QString& reason);
    void modelUnloaded();
    void activeEngineChanged(const QString& engineName);

private:
    struct Job;

    // `replacesPending`: the recovery row of the last run's job this one takes over (0: none);
    // the new row replaces it in one transaction.
    std::pair<JobId, QFuture<JobResult>> enqueue(SpeechRequest request, const JobOptions& options,
                                                 JobId replacesPending = 0);
    void refuseIfOverLimits(const SpeechRequest& request, const JobOptions& options) const;
    InferenceLane* laneFor(const Job& job) const;
    void insertIntoQueue(JobId id);   // with m_mutex held
    void announceQueued();
    void schedule();
    void updateIdleTimer();
    void unloadIfIdle();

    void onLoadFailed(JobId id, const QString& reason);
    void onProgress(JobId id, const SpeechProgress& p);
    void onInferenceDone(JobId id, SpeechResult result);
    void writeInPool(JobId id, SpeechResult result);
    void finishJob(JobId id, const JobResult& result);
    void failJob(JobId id, const QString& sentence);
    void keepForRetry(JobId id, const Job& job);
    void cancelJob(JobId id);
    std::unique_ptr<Job> takeJob(JobId id);
    void forgetPending(JobId id);
    LaneListener laneListener(bool isCsm);
    void lockHistory();
    void applyCsmReplacement();

    EngineSet m_engines;
    TaskEngineConfig m_config;
    std::unique_ptr<ProcessLock> m_historyLock;   // job ids come from the history: one engine per folder
    std::shared_ptr<HistoryStore> m_history;
    QList<PendingJob> m_pendingFromLastRun;

    mutable QMutex m_mutex;                      // guards everything below up to the lanes
    std::map<JobId, std::unique_ptr<Job>> m_jobs;   // jobs not over yet
    std::map<JobId, std::pair<SpeechRequest, JobOptions>> m_retryable;   // failed or cancelled, newest kept
    QList<JobId> m_queue;                        // waiting jobs, in the order they will run
    JobId m_nextId = 1;
    bool m_announcementPosted = false;
    QString m_csmLoadError;

    QThreadPool m_writers;
    QTimer m_idleTimer;
    std::unique_ptr<InferenceLane> m_fallbackLane;
    std::unique_ptr<InferenceLane> m_csmLane;
    std::optional<EngineFactory> m_csmReplacement;   // waits for the CSM lane to be free
};

} // namespace echoforge
