#pragma once
// One speech engine instance and the dedicated thread it runs on. Engines are not re-entrant,
// so a lane runs one job at a time; the engine is made on the lane's thread on first use (for
// CSM that is the model load) and destroyed there when unloaded.
//
// Every outcome is handed back through callbacks that the lane posts, queued, to the `owner`
// object's thread, so the owner sees them one at a time on its own thread.

#include <atomic>
#include <functional>
#include <memory>

#include <QObject>
#include <QString>
#include <QThread>

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

    // Owner-thread bookkeeping: whether a job (or a preload) is on the lane now.
    bool busy() const { return bool(m_current) || m_preloading; }
    bool loaded() const { return m_loaded.load(); }
    std::shared_ptr<LaneJob> current() const { return m_current; }

    // Runs the job on the lane's thread (loading the engine first when needed). The owner
    // hears back through exactly one of done, failed or loadFailed, after which the lane is free.
    void run(std::shared_ptr<LaneJob> job);
    // Destroys the engine on the lane's thread when the lane is free; `unloaded` follows.
    void unload();
    // Loads the engine on the lane's thread ahead of any job, so the first job starts at once.
    // Nothing when the lane is busy or loaded. The owner hears `loaded`, or `loadFailed` with
    // job id 0, and then `preloadEnded`; the lane counts as busy until then.
    void preload();

private:
    void runOnLane(const std::shared_ptr<LaneJob>& job);
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
    std::unique_ptr<SpeechEngine> m_engine;    // touched only on m_thread
    std::atomic<bool> m_loaded{false};
    std::shared_ptr<LaneJob> m_current;        // owner thread only
    bool m_preloading = false;                 // owner thread only
    std::shared_ptr<const bool> m_alive = std::make_shared<const bool>(true);   // expires with the lane
};

} // namespace echoforge
