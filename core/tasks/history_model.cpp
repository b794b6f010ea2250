#include "core/tasks/history_model.h"

#include <QVariantMap>

#include "core/common/logging.h"
#include "core/tasks/task_engine.h"

namespace echoforge {

HistoryModel::HistoryModel(HistoryStore& store, QObject* parent) : QAbstractListModel(parent), m_store(store) {
    refresh();
}

void HistoryModel::watch(TaskEngine& engine) {
    connect(&engine, &TaskEngine::finished, this, [this](JobId id, const JobResult& result) {
        if (!result.historyAudioPath.isEmpty())
            addFinished(id);
    });
}

void HistoryModel::addFinished(JobId id) {
    if (rowOf(id) >= 0)
        return;
    std::optional<HistoryEntry> e;
    try {
        e = m_store.entry(id);
    } catch (const Error& error) {
        logger(LogArea::Tasks)->warn("history entry {} cannot be shown: {}", id, error.sentence());
        return;
    }
    if (!e || !matches(*e, m_filter))
        return;
    // Newest first: ids grow, so a new entry goes above every older one.
    int row = 0;
    while (row < m_entries.size() && m_entries.at(row).id > id)
        ++row;
    beginInsertRows({}, row, row);
    m_entries.insert(row, *e);
    endInsertRows();
}

bool HistoryModel::matches(const HistoryEntry& entry, const QString& filter) {
    const QString needle = filter.trimmed();
    if (needle.isEmpty())
        return true;
    return entry.request.text.contains(needle, Qt::CaseInsensitive)
        || entry.request.character.name.contains(needle, Qt::CaseInsensitive)
        || entry.request.character.id.contains(needle, Qt::CaseInsensitive);
}

void HistoryModel::setFilterText(const QString& text) {
    if (text == m_filter)
        return;
    m_filter = text;
    refresh();
}

void HistoryModel::refresh() {
    QList<HistoryEntry> entries;
    try {
        entries = m_store.entries(m_filter);
    } catch (const Error& e) {
        logger(LogArea::Tasks)->warn("the history cannot be read: {}", e.sentence());
    }
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

int HistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryEntry& e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return QStringLiteral("%1: %2").arg(e.request.character.name, e.request.text);
    case JobIdRole: return e.id;
    case TextRole: return e.request.text;
    case CharacterIdRole: return e.request.character.id;
    case CharacterNameRole: return e.request.character.name;
    case EngineRole: return e.engineName;
    case SeedRole: return QString::number(e.seed);
    case DurationRole: return e.durationSeconds;
    case GenerationTimeRole: return e.generationSeconds;
    case CreatedAtRole: return e.createdAt;
    case AudioPathRole: return e.audioPath;
    case ParametersRole:
        return QVariantMap{{"temperature", e.request.params.temperature},
                           {"topK", e.request.params.topK},
                           {"maxSeconds", e.request.params.maxSeconds},
                           {"seed", QString::number(e.seed)}};
    default: return {};
    }
}

QHash<int, QByteArray> HistoryModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{JobIdRole, "jobId"},
                  {TextRole, "text"},
                  {CharacterIdRole, "characterId"},
                  {CharacterNameRole, "characterName"},
                  {EngineRole, "engine"},
                  {SeedRole, "seed"},
                  {DurationRole, "duration"},
                  {GenerationTimeRole, "generationTime"},
                  {CreatedAtRole, "createdAt"},
                  {AudioPathRole, "audioPath"},
                  {ParametersRole, "parameters"}});
    return names;
}

HistoryEntry HistoryModel::entryAt(int row) const {
    return row >= 0 && row < m_entries.size() ? m_entries.at(row) : HistoryEntry{};
}

int HistoryModel::rowOf(JobId id) const {
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).id == id)
            return row;
    }
    return -1;
}

bool HistoryModel::removeEntry(int row) {
    if (row < 0 || row >= m_entries.size())
        return false;
    m_store.remove(m_entries.at(row).id);
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    return true;
}

} // namespace echoforge
