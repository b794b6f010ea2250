// TaskEngine: the jobs the last run left queued or running, offered again.

#include "core/common/logging.h"
#include "core/tasks/task_engine.h"

namespace echoforge {

QList<PendingJob> TaskEngine::pendingFromLastRun() const {
    QMutexLocker lock(&m_mutex);
    return m_pendingFromLastRun;
}

QList<JobId> TaskEngine::resubmitPending() {
    QList<PendingJob> offered;
    {
        QMutexLocker lock(&m_mutex);
        offered.swap(m_pendingFromLastRun);
    }
    QList<JobId> ids;
    QList<PendingJob> refused;
    for (const PendingJob& p : offered) {
        try {
            // The new pending row replaces the old one in one transaction: a kill between the
            // two must not leave the job queued twice.
            ids.append(enqueue(p.request, p.options, p.id).first);
        } catch (const Error& e) {
            logger(LogArea::Tasks)->warn("job {} from the last run stays on offer: {}", p.id, e.sentence());
            refused.append(p);
        }
    }
    QMutexLocker lock(&m_mutex);
    m_pendingFromLastRun = refused;
    return ids;
}

void TaskEngine::discardPending() {
    QList<PendingJob> offered;
    {
        QMutexLocker lock(&m_mutex);
        offered.swap(m_pendingFromLastRun);
    }
    for (const PendingJob& p : offered)
        forgetPending(p.id);
}

} // namespace echoforge
