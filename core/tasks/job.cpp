#include "core/tasks/job.h"

namespace echoforge {

QString jobPriorityName(JobPriority p) {
    switch (p) {
    case JobPriority::Batch: return QStringLiteral("batch");
    case JobPriority::Normal: return QStringLiteral("normal");
    case JobPriority::Interactive: return QStringLiteral("interactive");
    }
    return QStringLiteral("normal");
}

JobPriority jobPriorityFromName(const QString& name, JobPriority fallback) {
    for (JobPriority p : {JobPriority::Batch, JobPriority::Normal, JobPriority::Interactive}) {
        if (name == jobPriorityName(p))
            return p;
    }
    return fallback;
}

QString engineSelectionName(EngineSelection c) {
    switch (c) {
    case EngineSelection::Auto: return QStringLiteral("auto");
    case EngineSelection::Csm: return QStringLiteral("csm");
    case EngineSelection::Espeak: return QStringLiteral("espeak");
    }
    return QStringLiteral("auto");
}

EngineSelection engineSelectionFromName(const QString& name) {
    for (EngineSelection c : {EngineSelection::Auto, EngineSelection::Csm, EngineSelection::Espeak}) {
        if (name.compare(engineSelectionName(c), Qt::CaseInsensitive) == 0)
            return c;
    }
    throw Error(QStringLiteral("Unknown engine \"%1\"; use auto, csm or espeak.").arg(name));
}

QString jobStateName(JobState s) {
    switch (s) {
    case JobState::Queued: return QStringLiteral("queued");
    case JobState::Running: return QStringLiteral("running");
    case JobState::Writing: return QStringLiteral("writing");
    case JobState::Finished: return QStringLiteral("finished");
    case JobState::Failed: return QStringLiteral("failed");
    case JobState::Cancelled: return QStringLiteral("cancelled");
    }
    return QStringLiteral("queued");
}

bool isTerminal(JobState s) {
    return s == JobState::Finished || s == JobState::Failed || s == JobState::Cancelled;
}

} // namespace echoforge
