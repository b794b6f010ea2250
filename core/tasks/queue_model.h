#pragma once
// The queue as a list model for the views: one row per job since it was queued, in submission
// order, updated from the TaskEngine's signals. Finished rows stay until clearFinished().
//
// Roles (also by name for delegates, see roleNames()):
//   Qt::DisplayRole   "Character: text"
//   Qt::ToolTipRole   the error sentence of a failed job, else the text
//   JobIdRole         JobId (qint64)
//   TextRole          the text to speak
//   CharacterRole     the character's name
//   PriorityRole      "interactive" | "normal" | "batch"
//   StateRole         "queued" | "running" | "writing" | "finished" | "failed" | "cancelled"
//   ProgressRole      double in [0, 1]
//   EtaRole           double, seconds left; negative while unknown
//   AudioSecondsRole  double, audio made so far
//   ErrorRole         the failure sentence, empty otherwise
//   EngineRole        the display name of the engine that runs it, empty while queued
//   AudioPathRole     the finished WAV, empty otherwise

#include <QAbstractListModel>
#include <QList>

#include "core/tasks/job.h"

namespace echoforge {

class TaskEngine;

class QueueModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        JobIdRole = Qt::UserRole + 1,
        TextRole,
        CharacterRole,
        PriorityRole,
        StateRole,
        ProgressRole,
        EtaRole,
        AudioSecondsRole,
        ErrorRole,
        EngineRole,
        AudioPathRole,
    };
    Q_ENUM(Role)

    explicit QueueModel(TaskEngine& engine, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(JobId id) const;   // -1 when not shown
    JobId jobAt(int row) const;
    JobState stateAt(int row) const;
    // Removes the rows of finished, failed and cancelled jobs.
    void clearFinished();

private:
    struct Row {
        JobSummary summary;
        JobState state = JobState::Queued;
        JobProgress progress;
        QString engineName;
        QString error;
        QString audioPath;
    };
    template <typename Change>
    void update(JobId id, const QList<int>& roles, Change change);

    QList<Row> m_rows;
};

} // namespace echoforge
