#include "core/tasks/queue_model.h"

#include "core/tasks/task_engine.h"

namespace echoforge {

QueueModel::QueueModel(TaskEngine& engine, QObject* parent) : QAbstractListModel(parent) {
    connect(&engine, &TaskEngine::queued, this, [this](JobId, const JobSummary& summary) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append(Row{summary});
        endInsertRows();
    });
    connect(&engine, &TaskEngine::started, this, [this](JobId id, const QString& engineName) {
        update(id, {StateRole, EngineRole}, [&](Row& r) {
            r.state = JobState::Running;
            r.engineName = engineName;
        });
    });
    connect(&engine, &TaskEngine::progress, this, [this](JobId id, const JobProgress& p) {
        update(id, {ProgressRole, EtaRole, AudioSecondsRole}, [&](Row& r) { r.progress = p; });
    });
    connect(&engine, &TaskEngine::finished, this, [this](JobId id, const JobResult& result) {
        update(id, {StateRole, ProgressRole, EtaRole, AudioPathRole}, [&](Row& r) {
            r.state = JobState::Finished;
            r.progress.unitsDone = r.progress.unitsTotal = std::max(1, r.progress.unitsTotal);
            r.progress.etaSeconds = 0;
            r.progress.audioSeconds = result.durationSeconds();
            r.audioPath = result.audioPath;
        });
    });
    connect(&engine, &TaskEngine::failed, this, [this](JobId id, const QString& sentence) {
        update(id, {StateRole, ErrorRole, Qt::ToolTipRole}, [&](Row& r) {
            r.state = JobState::Failed;
            r.error = sentence;
        });
    });
    connect(&engine, &TaskEngine::cancelled, this, [this](JobId id) {
        update(id, {StateRole}, [&](Row& r) { r.state = JobState::Cancelled; });
    });
}

template <typename Change>
void QueueModel::update(JobId id, const QList<int>& roles, Change change) {
    const int row = rowOf(id);
    if (row < 0)
        return;
    change(m_rows[row]);
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, roles);
}

int QueueModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant QueueModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return QStringLiteral("%1: %2").arg(r.summary.characterName, r.summary.text);
    case Qt::ToolTipRole: return r.error.isEmpty() ? r.summary.text : r.error;
    case JobIdRole: return r.summary.id;
    case TextRole: return r.summary.text;
    case CharacterRole: return r.summary.characterName;
    case PriorityRole: return jobPriorityName(r.summary.priority);
    case StateRole: return jobStateName(r.state);
    case ProgressRole:
        return r.progress.unitsTotal > 0 ? std::clamp(double(r.progress.unitsDone) / r.progress.unitsTotal, 0.0, 1.0) : 0.0;
    case EtaRole: return r.progress.etaSeconds;
    case AudioSecondsRole: return r.progress.audioSeconds;
    case ErrorRole: return r.error;
    case EngineRole: return r.engineName;
    case AudioPathRole: return r.audioPath;
    default: return {};
    }
}

QHash<int, QByteArray> QueueModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{JobIdRole, "jobId"},
                  {TextRole, "text"},
                  {CharacterRole, "character"},
                  {PriorityRole, "priority"},
                  {StateRole, "state"},
                  {ProgressRole, "progress"},
                  {EtaRole, "eta"},
                  {AudioSecondsRole, "audioSeconds"},
                  {ErrorRole, "error"},
                  {EngineRole, "engine"},
                  {AudioPathRole, "audioPath"}});
    return names;
}

int QueueModel::rowOf(JobId id) const {
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).summary.id == id)
            return row;
    }
    return -1;
}

JobId QueueModel::jobAt(int row) const {
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).summary.id : 0;
}

JobState QueueModel::stateAt(int row) const {
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).state : JobState::Queued;
}

void QueueModel::clearFinished() {
    // From the end, so the rows still to look at keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (isTerminal(m_rows.at(row).state)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
}

} // namespace echoforge
