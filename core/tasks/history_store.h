#pragma once
// The history of finished jobs and the jobs still queued, in one SQLite database (Qt SQL,
// QSQLITE) in the history folder, with each take's audio beside it in audio/<id>.wav.
//
// Every call opens its own short-lived connection, so the store may be used from any thread at
// once (Qt SQL connections belong to the thread that made them). The database runs in WAL mode;
// each write is one transaction, so a crash or kill -9 loses no finished job.

#include <optional>

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/tasks/job.h"

namespace echoforge {

struct HistoryEntry {
    JobId id = 0;
    QDateTime createdAt;         // when it finished, UTC
    SpeechRequest request;       // text, character and parameters as asked
    QString engineId;
    QString engineName;
    std::uint64_t seed = 0;      // the seed used
    double durationSeconds = 0;
    double generationSeconds = 0;
    double firstAudioSeconds = 0;
    double queuedSeconds = 0;
    QString audioPath;           // the WAV beside the database
    QStringList notes;
};

// A job that was queued or running when the app stopped.
struct PendingJob {
    JobId id = 0;
    QDateTime submittedAt;
    SpeechRequest request;
    JobOptions options;
};

class HistoryStore {
public:
    // Creates the folder and the tables when missing. Throws echoforge::Error naming the file
    // when the database cannot be opened or is not an EchoForge history.
    explicit HistoryStore(const QString& folder);

    QString folder() const { return m_folder; }
    QString databasePath() const;
    QString audioPathFor(JobId id) const;

    void addPending(const PendingJob& job);
    // Stores `job` and forgets the pending row `replaced`, in one transaction: a job offered
    // again after a crash is never in the queue twice, whenever the app is killed.
    void replacePending(JobId replaced, const PendingJob& job);
    void removePending(JobId id);
    void removeAllPending();
    QList<PendingJob> pending() const;      // oldest first

    // Stores the entry and forgets its pending row, in one transaction.
    void recordFinished(const HistoryEntry& entry);
    // Newest first. `filter` matches text, character name or id (case-insensitive); empty: all.
    QList<HistoryEntry> entries(const QString& filter = {}) const;
    std::optional<HistoryEntry> entry(JobId id) const;
    // Deletes the entry and its audio file.
    void remove(JobId id);
    int count() const;

    // The largest job id ever stored (history or pending), so new ids never collide.
    JobId maxJobId() const;

private:
    QString m_folder;
};

} // namespace echoforge
