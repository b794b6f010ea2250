#pragma once
// One speech engine instance and the dedicated thread it runs on. The engine is made on the
// lane's thread on first use (for CSM that is the model load) and destroyed there when unloaded.
// A lane runs one job at a time, or as many as a loaded engine takes at once
// (SpeechEngine::maxConcurrentRequests: CSM batches queued jobs): the first on the lane's thread,
// the others each on a thread of the lane's own pool.
//
// Every outcome is handed back through callbacks that the lane posts, queued, to the `owner`
// object's thread, so the owner sees them one at a time on its own thread.

#include <atomic>
#include <functional>
#include <memory>

#include <QObject>
#include <QString>
#include <QThread>
#include <QThreadPool>
#include <vector>

#include "core/tasks/job.h"

namespace echoforge {

using LoadProgress = std::function<void(double fraction)>;
// Makes an engine; may take long (loading weights) and report progress in [0, 1]. Throws
// echoforge::Error with the reason when it cannot.
using EngineFactory = std::function<std::unique_ptr<SpeechEngine>(const LoadProgress&)>;

// What a lane needs to run one job; shared between the owner and the lane's thread.
struct LaneJob {
    JobId id = 0;
    SpeechRequest request;
    std::atomic<bool> cancelRequested{false};
};

// What the lane reports. All are invoked on the owner's thread.
struct LaneListener {
    std::function<void(double fraction)> loadProgress;
    std::function<void(const QString& engineName)> loaded;
    std::function<void(JobId id, const QString& reason)> loadFailed;
    std::function<void(JobId id, const SpeechProgress& progress)> progress;
    std::function<void(JobId id, const QVector<float>& chunk)> audio;
    std::function<void(JobId id, SpeechResult result)> done;          // finished or cancelled
    std::function<void(JobId id, const QString& sentence)> failed;
    std::function<void()> unloaded;
    std::function<void()> preloadEnded;                               // after loaded or loadFailed(0, …)
};

class InferenceLane {
public:
    InferenceLane(QString name, EngineFactory factory, QObject* owner, LaneListener listener);
    // Asks a running job to stop and waits for the thread; the engine is destroyed on it.
    ~InferenceLane();
    InferenceLane(const InferenceLane&) = delete;
    InferenceLane& operator=(const InferenceLane&) = delete;

    const QString& name() const { return m_name; }

    // Owner-thread bookkeeping: whether a job (or a preload) is on the lane now, and whether
    // run() may take another: when the lane is free, or the loaded engine takes more at once.
    bool busy() const { return !m_running.empty() || m_preloading; }
    bool hasRoom() const;
    bool loaded() const { return m_loaded.load(); }

    // Runs the job (loading the engine first when needed), when hasRoom(). The owner hears back
    // through exactly one of done, failed or loadFailed, after which its place is free.
    void run(std::shared_ptr<LaneJob> job);
    // Destroys the engine on the lane's thread when the lane is free; `unloaded` follows.
    void unload();
    // Loads the engine on the lane's thread ahead of any job, so the first job starts at once.
    // Nothing when the lane is busy or loaded. The owner hears `loaded`, or `loadFailed` with
    // job id 0, and then `preloadEnded`; the lane counts as busy until then.
    void preload();

private:
    // On the lane's thread or one of the pool's.
    void runOnLane(const std::shared_ptr<LaneJob>& job);
    void forget(JobId id);   // owner thread: the job's place is free
    // On the lane's thread: the engine, made now when there is none. False when it could not be
    // made; `loadFailed(id, why)` has been posted.
    bool ensureEngine(JobId id);
    void post(std::function<void()> toOwner);

    QString m_name;
    EngineFactory m_factory;
    QObject* m_owner;
    LaneListener m_listener;
    QThread m_thread;
    QObject* m_worker;                         // lives on m_thread; queued calls run there
    // Made and destroyed on m_thread; used by the pool's threads too while their jobs run
    // (the owner starts those only when it is loaded, and unloads only when the lane is free).
    std::unique_ptr<SpeechEngine> m_engine;
    std::atomic<bool> m_loaded{false};
    std::atomic<int> m_capacity{1};            // the loaded engine's maxConcurrentRequests()
    std::vector<std::shared_ptr<LaneJob>> m_running;   // owner thread only
    JobId m_onLaneThread = 0;                  // owner thread only: the running job m_thread has, 0: none
    bool m_preloading = false;                 // owner thread only
    QThreadPool m_extraThreads;                // jobs beyond the first while the engine takes them
    std::shared_ptr<const bool> m_alive = std::make_shared<const bool>(true);   // expires with the lane
};

} // namespace echoforge
