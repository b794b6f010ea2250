#pragma once
// The history as a list model for the views, newest first, narrowed by a filter text (matching
// the text, the character's name or id). Jobs finished by a watched TaskEngine appear at the top
// as they finish.
//
// Roles (also by name, see roleNames()):
//   Qt::DisplayRole     "Character: text"
//   JobIdRole           JobId (qint64)
//   TextRole            the text spoken
//   CharacterIdRole     the character's id
//   CharacterNameRole   the character's name
//   EngineRole          the engine's display name
//   SeedRole            the seed used, as a decimal string (64 bits do not fit a double)
//   DurationRole        double, seconds of audio
//   GenerationTimeRole  double, seconds spent generating
//   CreatedAtRole       QDateTime (UTC) when it finished
//   AudioPathRole       the WAV in the history folder
//   ParametersRole      QVariantMap: temperature, topK, maxSeconds, seed
//
// To speak an entry again with the same settings, take entryAt(row).request.

#include <QAbstractListModel>
#include <QList>

#include "core/tasks/history_store.h"

namespace echoforge {

class TaskEngine;

class HistoryModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        JobIdRole = Qt::UserRole + 1,
        TextRole,
        CharacterIdRole,
        CharacterNameRole,
        EngineRole,
        SeedRole,
        DurationRole,
        GenerationTimeRole,
        CreatedAtRole,
        AudioPathRole,
        ParametersRole,
    };
    Q_ENUM(Role)

    // Reads the store's entries now. The store must outlive the model.
    explicit HistoryModel(HistoryStore& store, QObject* parent = nullptr);

    // Adds the jobs `engine` finishes from now on (it must write to the same store).
    void watch(TaskEngine& engine);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString filterText() const { return m_filter; }
    void setFilterText(const QString& text);
    // Reads everything again from the store.
    void refresh();

    HistoryEntry entryAt(int row) const;   // a default entry for a row out of range
    int rowOf(JobId id) const;             // -1 when not shown
    // Deletes the entry and its audio from the store, and its row. False for a row out of range.
    bool removeEntry(int row);

    // Whether an entry matches a filter text, as the store's search does.
    static bool matches(const HistoryEntry& entry, const QString& filter);

private:
    void addFinished(JobId id);

    HistoryStore& m_store;
    QString m_filter;
    QList<HistoryEntry> m_entries;
};

} // namespace echoforge
