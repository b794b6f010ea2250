#include "core/tasks/inference_lane.h"

#include <exception>

#include <QElapsedTimer>
#include <QMetaObject>

#include "core/common/error.h"
#include "core/common/logging.h"

namespace echoforge {

InferenceLane::InferenceLane(QString name, EngineFactory factory, QObject* owner, LaneListener listener)
    : m_name(std::move(name)), m_factory(std::move(factory)), m_owner(owner),
      m_listener(std::move(listener)), m_worker(new QObject) {
    m_thread.setObjectName(QStringLiteral("inference-%1").arg(m_name));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
    m_extraThreads.setObjectName(QStringLiteral("inference-%1-extra").arg(m_name));
    m_extraThreads.setExpiryTimeout(-1);   // threads stay: the engine may keep per-thread state
}

InferenceLane::~InferenceLane() {
    for (const auto& job : m_running)
        job->cancelRequested = true;
    m_extraThreads.waitForDone();          // their jobs use the engine, which goes next
    QMetaObject::invokeMethod(m_worker, [this] {
        m_engine.reset();
        m_thread.quit();
    });
    m_thread.wait();
    delete m_worker;
}

void InferenceLane::post(std::function<void()> toOwner) {
    // The owner may replace this lane while a call is still queued: such a call is dropped.
    QMetaObject::invokeMethod(
        m_owner,
        [alive = std::weak_ptr<const bool>(m_alive), call = std::move(toOwner)] {
            if (!alive.expired())
                call();
        },
        Qt::QueuedConnection);
}

bool InferenceLane::hasRoom() const {
    if (m_preloading)
        return false;
    if (m_running.empty())
        return true;
    return m_loaded && int(m_running.size()) < m_capacity.load();
}

void InferenceLane::run(std::shared_ptr<LaneJob> job) {
    m_running.push_back(job);
    if (m_onLaneThread == 0) {
        m_onLaneThread = job->id;
        QMetaObject::invokeMethod(m_worker, [this, job] { runOnLane(job); });
        return;
    }
    // The lane's thread has a job: this one joins it on a thread of its own.
    m_extraThreads.setMaxThreadCount(std::max(1, m_capacity.load()));
    m_extraThreads.start([this, job] { runOnLane(job); });
}

void InferenceLane::forget(JobId id) {
    std::erase_if(m_running, [id](const std::shared_ptr<LaneJob>& job) { return job->id == id; });
    if (m_onLaneThread == id)
        m_onLaneThread = 0;
}

void InferenceLane::unload() {
    if (busy() || !loaded())
        return;
    QMetaObject::invokeMethod(m_worker, [this] {
        m_engine.reset();
        m_loaded = false;
        logger(LogArea::Tasks)->info("unloaded the {} engine", m_name);
        post([this] { if (m_listener.unloaded) m_listener.unloaded(); });
    });
}

void InferenceLane::preload() {
    if (busy() || loaded())
        return;
    m_preloading = true;
    QMetaObject::invokeMethod(m_worker, [this] {
        ensureEngine(0);
        post([this] {
            m_preloading = false;
            if (m_listener.preloadEnded)
                m_listener.preloadEnded();
        });
    });
}

bool InferenceLane::ensureEngine(JobId id) {
    if (m_engine)
        return true;
    try {
        m_engine = m_factory([this](double fraction) {
            post([this, fraction] { if (m_listener.loadProgress) m_listener.loadProgress(fraction); });
        });
        if (!m_engine)
            throw Error(QStringLiteral("The %1 engine could not be created.").arg(m_name));
    } catch (const std::exception& e) {
        const QString reason = QString::fromStdString(e.what());
        logger(LogArea::Tasks)->warn("loading the {} engine failed: {}", m_name, reason);
        post([this, id, reason] {
            if (id != 0)   // a preload holds no job
                forget(id);
            m_listener.loadFailed(id, reason);
        });
        return false;
    }
    m_capacity = std::max(1, m_engine->maxConcurrentRequests());
    m_loaded = true;
    const QString engineName = m_engine->displayName();
    post([this, engineName] { if (m_listener.loaded) m_listener.loaded(engineName); });
    return true;
}

void InferenceLane::runOnLane(const std::shared_ptr<LaneJob>& job) {
    const JobId id = job->id;
    if (!ensureEngine(id))
        return;

    QElapsedTimer clock;
    clock.start();
    double firstAudio = -1;
    SpeechCallbacks callbacks;
    callbacks.isCancelled = [job] { return job->cancelRequested.load(); };
    callbacks.onProgress = [this, id](const SpeechProgress& p) {
        post([this, id, p] { m_listener.progress(id, p); });
    };
    callbacks.onAudio = [this, id, &clock, &firstAudio](std::span<const float> samples) {
        if (firstAudio < 0)
            firstAudio = clock.nsecsElapsed() / 1e9;
        QVector<float> chunk(samples.begin(), samples.end());
        post([this, id, chunk] { m_listener.audio(id, chunk); });
    };

    try {
        SpeechResult result = m_engine->synthesize(job->request, callbacks);
        if (result.generationSeconds <= 0)
            result.generationSeconds = clock.nsecsElapsed() / 1e9;
        if (result.firstAudioSeconds <= 0 && firstAudio >= 0)
            result.firstAudioSeconds = firstAudio;
        if (job->cancelRequested)
            result.cancelled = true;
        auto shared = std::make_shared<SpeechResult>(std::move(result));
        post([this, id, shared] {
            forget(id);
            m_listener.done(id, std::move(*shared));
        });
    } catch (const std::exception& e) {
        // An engine's failure ends its job, never the lane: the next job gets the same engine.
        const QString what = QString::fromStdString(e.what());
        const QString sentence = dynamic_cast<const Error*>(&e)
            ? what
            : QStringLiteral("The %1 engine stopped with an internal error: %2").arg(m_engine->displayName(), what);
        post([this, id, sentence] {
            forget(id);
            m_listener.failed(id, sentence);
        });
    } catch (...) {
        const QString sentence = QStringLiteral("The %1 engine stopped with an unknown error.").arg(m_engine->displayName());
        post([this, id, sentence] {
            forget(id);
            m_listener.failed(id, sentence);
        });
    }
}

} // namespace echoforge
