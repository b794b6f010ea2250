#include "core/tasks/task_engine.h"

#include <cmath>

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMetaObject>
#include <qcoro/qcorofuture.h>

#include "core/audio/audio_io.h"
#include "core/common/logging.h"
#include "core/common/numbers.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/tasks/atomic_audio_file.h"
#include "core/tasks/take_writer.h"

namespace echoforge {
namespace {

// The widest temperatures any front end offers (the CLI takes 0.01 to 2); beyond them the
// sampler is either greedy or uniform noise.
constexpr double kLowestTemperature = 0.01;
constexpr double kHighestTemperature = 10.0;

} // namespace

struct TaskEngine::Job {
    std::shared_ptr<LaneJob> lane = std::make_shared<LaneJob>();   // id, request, cancel flag
    JobOptions options;
    JobState state = JobState::Queued;
    JobSummary summary;
    bool announced = false;          // `queued` was emitted; only then may it start
    QPromise<JobResult> promise;
    QElapsedTimer sinceSubmit;
    QElapsedTimer sinceStart;
    double queuedSeconds = 0;
};

TaskEngineConfig TaskEngineConfig::fromSettings(const Settings& settings, const AppPaths& paths) {
    TaskEngineConfig c;
    c.queueLimit = settings.queueLimit;
    c.textLimit = settings.textLimit;
    c.audioLimitSeconds = settings.audioLimitSeconds;
    c.modelIdleUnload = std::chrono::minutes(settings.modelIdleUnloadMinutes);
    c.historyDir = paths.historyDir;
    c.postProcess = loudnessPostProcess(settings.loudnessTargetLufs);
    return c;
}

TaskEngine::TaskEngine(EngineSet engines, TaskEngineConfig config, QObject* parent)
    : QObject(parent), m_engines(std::move(engines)), m_config(std::move(config)) {
    if (!m_engines.makeFallback)
        throw Error("The task engine needs a fallback speech engine (eSpeak NG) to start.");
    if (!m_config.historyDir.isEmpty()) {
        m_history = std::make_shared<HistoryStore>(m_config.historyDir);   // makes the folder
        lockHistory();   // before the ids are read
        // A take being written when the last run was killed left its temporary; ours alone now.
        if (const int removed = removeStaleAudioTemporaries(QFileInfo(m_history->audioPathFor(0)).absolutePath()))
            logger(LogArea::Tasks)->info("removed {} unfinished take file(s) left by the last run", removed);
        m_pendingFromLastRun = m_history->pending();
        m_nextId = m_history->maxJobId() + 1;
        if (!m_pendingFromLastRun.isEmpty())
            logger(LogArea::Tasks)->info("{} job(s) were left queued by the last run", m_pendingFromLastRun.size());
    }
    m_writers.setMaxThreadCount(std::max(1, m_config.writerThreads));
    m_writers.setObjectName(QStringLiteral("task-writers"));

    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &TaskEngine::unloadIfIdle);

    m_fallbackLane = std::make_unique<InferenceLane>(m_engines.fallbackName, m_engines.makeFallback, this, laneListener(false));
    if (m_engines.makeCsm)
        m_csmLane = std::make_unique<InferenceLane>(m_engines.csmName, m_engines.makeCsm, this, laneListener(true));
}

QString historyLockFile(const QString& historyDir) {
    return QDir(historyDir).filePath(QStringLiteral("engine.lock"));
}

void TaskEngine::lockHistory() {
    // Held while this engine lives; the kernel releases it when the process ends, however it ends.
    ProcessLock::Holder other;
    m_historyLock = ProcessLock::tryTake(historyLockFile(m_history->folder()), &other);
    if (m_historyLock)
        return;
    throw Error(ErrorKind::Busy, QStringLiteral("Another EchoForge (%1, process %2) is using the history in %3. Close it first, or start this one "
                               "with another data folder (ECHOFORGE_DATA_DIR).")
                    .arg(other.program.isEmpty() ? QStringLiteral("unknown") : other.program)
                    .arg(other.pid)
                    .arg(QDir::toNativeSeparators(m_config.historyDir)));
}

TaskEngine::~TaskEngine() {
    m_idleTimer.stop();
    {
        QMutexLocker lock(&m_mutex);
        for (auto& [id, job] : m_jobs)
            job->lane->cancelRequested = true;
    }
    // Lanes first (their threads end once the running job has stopped), then the writers.
    m_fallbackLane.reset();
    m_csmLane.reset();
    m_writers.waitForDone();
    // Their pending rows stay in the database: the next run offers them again.
    for (auto& [id, job] : m_jobs) {
        job->promise.setException(std::make_exception_ptr(JobCancelled(id)));
        job->promise.finish();
    }
}

void TaskEngine::refuseIfOverLimits(const SpeechRequest& request, const JobOptions& options) const {
    if (request.text.trimmed().isEmpty())
        throw Error(ErrorKind::InvalidInput, "There is no text to speak; type some text first.");
    if (request.text.size() > m_config.textLimit)
        throw Error(ErrorKind::Limit, QStringLiteral("The text has %1 characters, more than the limit of %2; split it or raise the limit in Settings.")
                        .arg(request.text.size()).arg(m_config.textLimit));
    // Every front end (CLI, studio, API, a restored queue) comes through here: NaN or infinity
    // never reaches the sampler or the length limit, where every comparison with NaN is false.
    requireFiniteInRange(request.params.temperature, kLowestTemperature, kHighestTemperature,
                         QStringLiteral("The sampling temperature"));
    if (request.params.topK < 1)
        throw Error(QStringLiteral("Top-K must be at least 1, not %1.").arg(request.params.topK));
    if (!std::isfinite(request.params.maxSeconds) || !(request.params.maxSeconds > 0))
        throw Error(QStringLiteral("The longest audio to make must be a positive number of seconds, not %1.")
                        .arg(request.params.maxSeconds));
    if (request.params.maxSeconds > m_config.audioLimitSeconds)
        throw Error(ErrorKind::Limit, QStringLiteral("The request asks for up to %1 seconds of audio, more than the limit of %2 seconds; "
                                   "lower it or raise the limit in Settings.")
                        .arg(request.params.maxSeconds).arg(m_config.audioLimitSeconds));
    if (int(m_jobs.size()) >= m_config.queueLimit)
        throw Error(ErrorKind::Busy, QStringLiteral("The queue is full (%1 jobs); wait for some to finish or raise the limit in Settings.")
                        .arg(m_config.queueLimit));
    if (!options.outputPath.isEmpty() && !isWritableAudioSuffix(options.outputPath))
        throw Error(ErrorKind::InvalidInput, QStringLiteral("Cannot write %1: choose a file name ending in .wav or .flac.").arg(options.outputPath));
    if (options.engine == EngineSelection::Csm && !m_csmLane)
        throw Error(ErrorKind::NotInstalled, QStringLiteral("%1 is not installed; put its files in the model folder or choose %2.")
                        .arg(m_engines.csmName, m_engines.fallbackName));
}

void TaskEngine::insertIntoQueue(JobId id) {
    // Higher priority first; within a priority, ids grow in submission order (FIFO).
    const JobPriority priority = m_jobs.at(id)->options.priority;
    auto before = std::find_if(m_queue.begin(), m_queue.end(), [&](JobId other) {
        const JobPriority p = m_jobs.at(other)->options.priority;
        return p < priority || (p == priority && other > id);
    });
    m_queue.insert(before, id);
}

std::pair<JobId, QFuture<JobResult>> TaskEngine::enqueue(SpeechRequest request, const JobOptions& options,
                                                          JobId replacesPending) {
    QMutexLocker lock(&m_mutex);
    refuseIfOverLimits(request, options);
    const JobId id = m_nextId++;
    auto job = std::make_unique<Job>();
    job->lane->id = id;
    job->lane->request = std::move(request);
    job->options = options;
    job->sinceSubmit.start();
    job->promise.start();
    const SpeechRequest& r = job->lane->request;
    job->summary = {id, r.text, r.character.name, options.priority, options.engine};
    if (m_history) {
        try {
            const PendingJob row{id, QDateTime::currentDateTimeUtc(), r, options};
            if (replacesPending) m_history->replacePending(replacesPending, row);
            else m_history->addPending(row);
        } catch (const Error& e) {
            // The job still runs; it only would not be offered again after a crash.
            logger(LogArea::Tasks)->warn("job {} is not saved for recovery: {}", id, e.sentence());
            if (replacesPending) forgetPending(replacesPending);
        }
    }
    QFuture<JobResult> future = job->promise.future();
    m_jobs.emplace(id, std::move(job));
    insertIntoQueue(id);
    const bool postAnnouncement = !m_announcementPosted;
    m_announcementPosted = true;
    lock.unlock();
    if (postAnnouncement)
        QMetaObject::invokeMethod(this, &TaskEngine::announceQueued, Qt::QueuedConnection);
    return {id, future};
}

void TaskEngine::announceQueued() {
    // Everything submitted since the last announcement is announced at once, before any of it
    // may start, so the first job of a burst does not jump ahead of a higher priority one.
    QList<JobSummary> announced;
    {
        QMutexLocker lock(&m_mutex);
        m_announcementPosted = false;
        for (auto& [id, job] : m_jobs) {
            if (!job->announced) {
                job->announced = true;
                announced.append(job->summary);
            }
        }
    }
    for (const JobSummary& s : announced)
        Q_EMIT queued(s.id, s);
    schedule();
}

JobId TaskEngine::submit(SpeechRequest request, JobOptions options) {
    return enqueue(std::move(request), options).first;
}

QCoro::Task<JobResult> TaskEngine::generate(SpeechRequest request, JobOptions options) {
    QFuture<JobResult> future = enqueue(std::move(request), options).second;
    co_return co_await future;
}

LaneListener TaskEngine::laneListener(bool isCsm) {
    LaneListener l;
    l.progress = [this](JobId id, const SpeechProgress& p) { onProgress(id, p); };
    l.audio = [this](JobId id, const QVector<float>& chunk) { Q_EMIT audioChunk(id, chunk); };
    l.done = [this](JobId id, SpeechResult r) { onInferenceDone(id, std::move(r)); };
    l.failed = [this](JobId id, const QString& sentence) {
        failJob(id, sentence);
        schedule();
    };
    l.loadFailed = [this](JobId id, const QString& reason) { onLoadFailed(id, reason); };
    l.preloadEnded = [this] { schedule(); };
    // A loaded engine may take more jobs at once: those queued behind the first join it.
    l.loaded = [this, isCsm](const QString& name) {
        if (isCsm)
            Q_EMIT modelLoaded(name);
        schedule();
    };
    if (isCsm) {
        l.loadProgress = [this](double f) { Q_EMIT modelLoadProgress(f); };
        l.unloaded = [this] { Q_EMIT modelUnloaded(); };
    }
    return l;
}

void TaskEngine::replaceCsm(EngineFactory makeCsm) {
    {
        QMutexLocker lock(&m_mutex);
        m_csmReplacement = std::move(makeCsm);
    }
    schedule();   // applies it first, at once if the CSM lane is free
}

void TaskEngine::applyCsmReplacement() {
    std::unique_ptr<InferenceLane> old;
    QList<JobId> orphaned;   // queued for CSM alone, which is going away
    bool hasCsm = false;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_csmReplacement || (m_csmLane && m_csmLane->busy()))
            return;
        old = std::move(m_csmLane);
        m_engines.makeCsm = std::move(*m_csmReplacement);
        m_csmReplacement.reset();
        m_csmLoadError.clear();
        hasCsm = bool(m_engines.makeCsm);
        if (hasCsm)
            m_csmLane = std::make_unique<InferenceLane>(m_engines.csmName, m_engines.makeCsm, this, laneListener(true));
        else
            for (JobId id : m_queue)
                if (m_jobs.at(id)->options.engine == EngineSelection::Csm)
                    orphaned.append(id);
    }
    const bool wasLoaded = old && old->loaded();
    old.reset();   // the old model is freed on its lane's thread, which ends here
    logger(LogArea::Tasks)->info("{} replaced: {}", m_engines.csmName, hasCsm ? "it loads again with the next job" : "it is off");
    if (wasLoaded)
        Q_EMIT modelUnloaded();
    for (JobId id : orphaned)
        failJob(id, QStringLiteral("%1 was turned off in the settings; choose eSpeak NG or Automatic for this job.")
                        .arg(m_engines.csmName));
    Q_EMIT activeEngineChanged(hasCsm ? m_engines.csmName : m_engines.fallbackName);
}

InferenceLane* TaskEngine::laneFor(const Job& job) const {
    switch (job.options.engine) {
    case EngineSelection::Espeak: return m_fallbackLane.get();
    case EngineSelection::Csm: return m_csmLane.get();
    case EngineSelection::Auto: break;
    }
    return m_csmLane && m_csmLoadError.isEmpty() ? m_csmLane.get() : m_fallbackLane.get();
}

void TaskEngine::schedule() {
    applyCsmReplacement();   // a replacement waiting for the CSM lane's job to end
    QList<std::pair<JobId, QString>> startedNow;
    {
        QMutexLocker lock(&m_mutex);
        // A lane takes the first of its jobs in queue order, and more while its engine takes
        // them at once (CSM runs queued jobs side by side).
        for (InferenceLane* lane : {m_fallbackLane.get(), m_csmLane.get()}) {
            for (auto it = m_queue.begin(); lane && lane->hasRoom() && it != m_queue.end();) {
                Job& job = *m_jobs.at(*it);
                if (!job.announced || laneFor(job) != lane) {
                    ++it;
                    continue;
                }
                job.state = JobState::Running;
                job.queuedSeconds = job.sinceSubmit.nsecsElapsed() / 1e9;
                job.sinceStart.start();
                startedNow.append({*it, lane->name()});
                lane->run(job.lane);
                it = m_queue.erase(it);
            }
        }
    }
    updateIdleTimer();
    for (const auto& [id, engineName] : startedNow)
        Q_EMIT started(id, engineName);
}

void TaskEngine::updateIdleTimer() {
    bool idle = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_csmLane && m_config.modelIdleUnload.count() > 0 && !m_csmLane->busy() && m_csmLane->loaded()) {
            idle = std::none_of(m_queue.begin(), m_queue.end(),
                                [&](JobId id) { return laneFor(*m_jobs.at(id)) == m_csmLane.get(); });
        }
    }
    if (!idle)
        m_idleTimer.stop();
    else if (!m_idleTimer.isActive())
        m_idleTimer.start(m_config.modelIdleUnload);
}

void TaskEngine::unloadIfIdle() {
    if (!m_csmLane || m_csmLane->busy())
        return;
    logger(LogArea::Tasks)->info("{} unused for {} s: unloading it", m_engines.csmName,
                                 m_config.modelIdleUnload.count() / 1000.0);
    m_csmLane->unload();
}

void TaskEngine::setModelIdleUnloadInterval(std::chrono::milliseconds interval) {
    m_config.modelIdleUnload = interval;
    m_idleTimer.stop();
    updateIdleTimer();
}

void TaskEngine::preloadCsm() {
    QMutexLocker lock(&m_mutex);
    if (m_csmLane && m_csmLoadError.isEmpty())
        m_csmLane->preload();
}

void TaskEngine::onLoadFailed(JobId id, const QString& reason) {
    enum class Then { Nothing, RunOnFallback, Cancel, Fail } then = Then::Nothing;
    {
        QMutexLocker lock(&m_mutex);
        m_csmLoadError = reason;
        auto it = m_jobs.find(id);
        if (it != m_jobs.end()) {
            Job& job = *it->second;
            if (job.lane->cancelRequested) {
                then = Then::Cancel;
            } else if (job.options.engine == EngineSelection::Auto) {
                job.state = JobState::Queued;   // keeps its place: laneFor() now picks the fallback
                insertIntoQueue(id);
                then = Then::RunOnFallback;
            } else {
                then = Then::Fail;
            }
        }
    }
    Q_EMIT modelLoadFailed(reason);
    Q_EMIT activeEngineChanged(m_engines.fallbackName);
    if (then == Then::Cancel)
        cancelJob(id);
    else if (then == Then::Fail)
        failJob(id, QStringLiteral("%1 could not be loaded: %2").arg(m_engines.csmName, reason));
    schedule();
}

void TaskEngine::onProgress(JobId id, const SpeechProgress& p) {
    JobProgress out{p.unitsDone, p.unitsTotal, p.audioSeconds, -1};
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_jobs.find(id);
        if (it == m_jobs.end())
            return;
        const double elapsed = it->second->sinceStart.nsecsElapsed() / 1e9;
        if (p.unitsDone > 0 && p.unitsTotal >= p.unitsDone)
            out.etaSeconds = elapsed * double(p.unitsTotal - p.unitsDone) / p.unitsDone;
    }
    Q_EMIT progress(id, out);
}

void TaskEngine::onInferenceDone(JobId id, SpeechResult result) {
    if (result.cancelled)
        cancelJob(id);
    else
        writeInPool(id, std::move(result));
    schedule();
}

void TaskEngine::writeInPool(JobId id, SpeechResult speech) {
    FinishedTake take;
    {
        QMutexLocker lock(&m_mutex);
        Job& job = *m_jobs.at(id);
        job.state = JobState::Writing;
        take = {id, job.lane->request, job.options, std::move(speech), job.queuedSeconds};
    }
    m_writers.start([this, take = std::move(take), history = m_history, postProcess = m_config.postProcess]() mutable {
        const JobId id = take.id;
        try {
            const JobResult r = writeTake(std::move(take), postProcess, history.get());
            QMetaObject::invokeMethod(this, [this, id, r] { finishJob(id, r); }, Qt::QueuedConnection);
        } catch (const std::exception& e) {
            const QString sentence = QString::fromStdString(e.what());
            QMetaObject::invokeMethod(this, [this, id, sentence] { failJob(id, sentence); }, Qt::QueuedConnection);
        }
    });
}

std::unique_ptr<TaskEngine::Job> TaskEngine::takeJob(JobId id) {
    QMutexLocker lock(&m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return nullptr;
    std::unique_ptr<Job> job = std::move(it->second);
    m_jobs.erase(it);
    m_queue.removeOne(id);
    return job;
}

void TaskEngine::forgetPending(JobId id) {
    if (!m_history)
        return;
    try {
        m_history->removePending(id);
    } catch (const Error& e) {
        logger(LogArea::Tasks)->warn("job {} stays on offer for the next run: {}", id, e.sentence());
    }
}

void TaskEngine::finishJob(JobId id, const JobResult& result) {
    std::unique_ptr<Job> job = takeJob(id);
    if (!job)
        return;
    job->promise.addResult(result);
    job->promise.finish();
    Q_EMIT finished(id, result);
}

void TaskEngine::failJob(JobId id, const QString& sentence) {
    std::unique_ptr<Job> job = takeJob(id);
    if (!job)
        return;
    logger(LogArea::Tasks)->warn("job {} failed: {}", id, sentence);
    forgetPending(id);
    keepForRetry(id, *job);
    job->promise.setException(std::make_exception_ptr(Error(sentence)));
    job->promise.finish();
    Q_EMIT failed(id, sentence);
}

void TaskEngine::cancelJob(JobId id) {
    std::unique_ptr<Job> job = takeJob(id);
    if (!job)
        return;
    forgetPending(id);
    keepForRetry(id, *job);
    job->promise.setException(std::make_exception_ptr(JobCancelled(id)));
    job->promise.finish();
    Q_EMIT cancelled(id);
}

void TaskEngine::keepForRetry(JobId id, const Job& job) {
    QMutexLocker lock(&m_mutex);
    m_retryable[id] = {job.lane->request, job.options};
    while (m_retryable.size() > std::size_t(kRetainedEndedJobs))
        m_retryable.erase(m_retryable.begin());   // the oldest id
}

JobId TaskEngine::retry(JobId id) {
    std::pair<SpeechRequest, JobOptions> again;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_retryable.find(id);
        if (it == m_retryable.end())
            throw Error(m_jobs.count(id) ? QStringLiteral("Job %1 is not over yet; only a failed or cancelled job can be retried.").arg(id)
                                         : QStringLiteral("Job %1 is no longer known, so it cannot be retried; start it again.").arg(id));
        again = it->second;
    }
    const JobId newId = submit(again.first, again.second);   // a refusal leaves the entry for a later try
    QMutexLocker lock(&m_mutex);
    m_retryable.erase(id);
    return newId;
}

bool TaskEngine::cancel(JobId id) {
    QMutexLocker lock(&m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return false;
    Job& job = *it->second;
    // A job being written has all its audio: it finishes.
    if (job.state == JobState::Writing || job.lane->cancelRequested)
        return false;
    job.lane->cancelRequested = true;
    if (job.state == JobState::Queued) {
        m_queue.removeOne(id);
        lock.unlock();
        QMetaObject::invokeMethod(this, [this, id] { cancelJob(id); }, Qt::QueuedConnection);
    }
    // A running job ends at its engine's next frame; the lane reports it cancelled.
    return true;
}

void TaskEngine::cancelAll() {
    QList<JobId> ids;
    {
        QMutexLocker lock(&m_mutex);
        for (const auto& [id, job] : m_jobs)
            ids.append(id);
    }
    for (JobId id : ids)
        cancel(id);
}

std::optional<JobState> TaskEngine::state(JobId id) const {
    QMutexLocker lock(&m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return std::nullopt;
    return it->second->state;
}

int TaskEngine::activeJobCount() const {
    QMutexLocker lock(&m_mutex);
    return int(m_jobs.size());
}

QString TaskEngine::activeEngineName() const {
    QMutexLocker lock(&m_mutex);
    return m_csmLane && m_csmLoadError.isEmpty() ? m_engines.csmName : m_engines.fallbackName;
}

bool TaskEngine::csmLoaded() const {
    return m_csmLane && m_csmLane->loaded();
}

QString TaskEngine::csmLoadError() const {
    QMutexLocker lock(&m_mutex);
    return m_csmLoadError;
}

void TaskEngine::retryCsm() {
    {
        QMutexLocker lock(&m_mutex);
        if (!m_csmLane || m_csmLoadError.isEmpty())
            return;
        m_csmLoadError.clear();
    }
    Q_EMIT activeEngineChanged(m_engines.csmName);
}

} // namespace echoforge
