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

QString engineChoiceName(EngineChoice c) {
    switch (c) {
    case EngineChoice::Auto: return QStringLiteral("auto");
    case EngineChoice::Csm: return QStringLiteral("csm");
    case EngineChoice::Espeak: return QStringLiteral("espeak");
    }
    return QStringLiteral("auto");
}

EngineChoice engineChoiceFromName(const QString& name) {
    for (EngineChoice c : {EngineChoice::Auto, EngineChoice::Csm, EngineChoice::Espeak}) {
        if (name.compare(engineChoiceName(c), Qt::CaseInsensitive) == 0)
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
