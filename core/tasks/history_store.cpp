#include "core/tasks/history_store.h"

#include <atomic>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "core/common/error.h"
#include "core/tasks/job_codec.h"

namespace echoforge {
namespace {

constexpr int kSchemaVersion = 1;
constexpr int kBusyTimeoutMs = 10000;   // writers from several threads wait for each other

const char* const kCreateHistory = R"(
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    text TEXT NOT NULL,
    character_id TEXT NOT NULL,
    character_name TEXT NOT NULL,
    params TEXT NOT NULL,
    seed TEXT NOT NULL,
    engine_id TEXT NOT NULL,
    engine_name TEXT NOT NULL,
    duration_seconds REAL NOT NULL,
    generation_seconds REAL NOT NULL,
    first_audio_seconds REAL NOT NULL,
    queued_seconds REAL NOT NULL,
    audio_path TEXT NOT NULL,
    request TEXT NOT NULL,
    notes TEXT NOT NULL))";

const char* const kCreatePending = R"(
CREATE TABLE IF NOT EXISTS pending_jobs (
    id INTEGER PRIMARY KEY,
    submitted_at TEXT NOT NULL,
    request TEXT NOT NULL,
    options TEXT NOT NULL))";

const char* const kHistoryColumns =
    "id, created_at, request, engine_id, engine_name, seed, duration_seconds, generation_seconds, "
    "first_audio_seconds, queued_seconds, audio_path, notes";

QString toJsonText(const QJsonObject& o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Qt SQL binds a null QString as NULL; the text columns are NOT NULL, so bind "" instead.
QString orEmpty(const QString& s) {
    return s.isNull() ? QStringLiteral("") : s;
}

QJsonObject fromJsonText(const QString& text) {
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// One connection for the length of one call, on the calling thread.
class Connection {
public:
    explicit Connection(const QString& databasePath)
        : m_name(QStringLiteral("echoforge-history-%1").arg(s_next.fetch_add(1))) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(databasePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
        if (!db.open()) {
            const QString reason = db.lastError().text();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_name);
            throw Error(ErrorKind::Io, QStringLiteral("Cannot open the history database %1 (%2); check that the folder is writable.")
                            .arg(databasePath, reason));
        }
        m_path = databasePath;
        // WAL with synchronous=NORMAL survives a killed process; only a power cut may lose the
        // last transaction.
        exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    }
    ~Connection() {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    QSqlQuery query() const { return QSqlQuery(QSqlDatabase::database(m_name, false)); }

    void exec(const QString& sql) const {
        QSqlQuery q = query();
        if (!q.exec(sql))
            fail(q);
    }

    [[noreturn]] void fail(const QSqlQuery& q) const {
        throw Error(ErrorKind::Io, QStringLiteral("The history database %1 refused a change (%2); check that the disk has room.")
                        .arg(m_path, q.lastError().text()));
    }

    void run(QSqlQuery& q) const {
        if (!q.exec())
            fail(q);
    }

    void prepare(QSqlQuery& q, const QString& sql) const {
        if (!q.prepare(sql))
            fail(q);
    }

private:
    static inline std::atomic<quint64> s_next{0};
    QString m_name;
    QString m_path;
};

// BEGIN IMMEDIATE takes the write lock up front, so two writers wait (busy timeout) instead of
// failing when one upgrades a read to a write.
class Transaction {
public:
    explicit Transaction(const Connection& c) : m_c(c) { m_c.exec(QStringLiteral("BEGIN IMMEDIATE")); }
    ~Transaction() {
        if (!m_committed) {
            QSqlQuery q = m_c.query();
            q.exec(QStringLiteral("ROLLBACK"));
        }
    }
    void commit() {
        m_c.exec(QStringLiteral("COMMIT"));
        m_committed = true;
    }

private:
    const Connection& m_c;
    bool m_committed = false;
};

HistoryEntry entryFromQuery(const QSqlQuery& q) {
    HistoryEntry e;
    e.id = q.value(0).toLongLong();
    e.createdAt = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs);
    e.request = requestFromJson(fromJsonText(q.value(2).toString()));
    e.engineId = q.value(3).toString();
    e.engineName = q.value(4).toString();
    e.seed = q.value(5).toString().toULongLong();
    e.durationSeconds = q.value(6).toDouble();
    e.generationSeconds = q.value(7).toDouble();
    e.firstAudioSeconds = q.value(8).toDouble();
    e.queuedSeconds = q.value(9).toDouble();
    e.audioPath = q.value(10).toString();
    const QString notes = q.value(11).toString();
    e.notes = notes.isEmpty() ? QStringList() : notes.split(QLatin1Char('\n'));
    return e;
}

} // namespace

HistoryStore::HistoryStore(const QString& folder) : m_folder(QDir(folder).absolutePath()) {
    if (!QDir().mkpath(m_folder))
        throw Error(ErrorKind::Io, QStringLiteral("Cannot create the history folder %1; check that it is writable.").arg(m_folder));
    Connection c(databasePath());
    QSqlQuery version = c.query();
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next())
        throw Error(ErrorKind::Io, QStringLiteral("%1 is not a readable SQLite database; move it aside to start a new history.")
                        .arg(databasePath()));
    const int found = version.value(0).toInt();
    version.finish();
    if (found > kSchemaVersion)
        throw Error(ErrorKind::Io, QStringLiteral("The history database %1 was written by a newer EchoForge (schema %2, this one reads %3).")
                        .arg(databasePath()).arg(found).arg(kSchemaVersion));
    c.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    Transaction t(c);
    c.exec(QString::fromLatin1(kCreateHistory));
    c.exec(QString::fromLatin1(kCreatePending));
    c.exec(QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion));
    t.commit();
}

QString HistoryStore::databasePath() const {
    return QDir(m_folder).filePath(QStringLiteral("history.sqlite"));
}

QString HistoryStore::audioPathFor(JobId id) const {
    return QDir(m_folder).filePath(QStringLiteral("audio/%1.wav").arg(id));
}

namespace {

void insertPending(Connection& c, const PendingJob& job) {
    QSqlQuery q = c.query();
    c.prepare(q, QStringLiteral("INSERT OR REPLACE INTO pending_jobs (id, submitted_at, request, options) VALUES (?, ?, ?, ?)"));
    q.addBindValue(job.id);
    q.addBindValue(job.submittedAt.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(toJsonText(requestToJson(job.request)));
    q.addBindValue(toJsonText(optionsToJson(job.options)));
    c.run(q);
}

void deletePending(Connection& c, JobId id) {
    QSqlQuery q = c.query();
    c.prepare(q, QStringLiteral("DELETE FROM pending_jobs WHERE id = ?"));
    q.addBindValue(id);
    c.run(q);
}

} // namespace

void HistoryStore::addPending(const PendingJob& job) {
    Connection c(databasePath());
    insertPending(c, job);
}

void HistoryStore::replacePending(JobId replaced, const PendingJob& job) {
    Connection c(databasePath());
    Transaction t(c);
    insertPending(c, job);
    if (replaced != job.id) deletePending(c, replaced);
    t.commit();
}

void HistoryStore::removePending(JobId id) {
    Connection c(databasePath());
    deletePending(c, id);
}

void HistoryStore::removeAllPending() {
    Connection c(databasePath());
    c.exec(QStringLiteral("DELETE FROM pending_jobs"));
}

QList<PendingJob> HistoryStore::pending() const {
    Connection c(databasePath());
    QSqlQuery q = c.query();
    c.prepare(q, QStringLiteral("SELECT id, submitted_at, request, options FROM pending_jobs ORDER BY id"));
    c.run(q);
    QList<PendingJob> out;
    while (q.next()) {
        PendingJob p;
        p.id = q.value(0).toLongLong();
        p.submittedAt = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs);
        p.request = requestFromJson(fromJsonText(q.value(2).toString()));
        try {
            p.options = optionsFromJson(fromJsonText(q.value(3).toString()));
        } catch (const Error&) {
            p.options = JobOptions{};   // an engine name from another version: let auto choose
        }
        out.append(p);
    }
    return out;
}

void HistoryStore::recordFinished(const HistoryEntry& e) {
    Connection c(databasePath());
    Transaction t(c);
    QSqlQuery q = c.query();
    c.prepare(q, QStringLiteral(
        "INSERT OR REPLACE INTO history (id, created_at, text, character_id, character_name, params, seed, "
        "engine_id, engine_name, duration_seconds, generation_seconds, first_audio_seconds, queued_seconds, "
        "audio_path, request, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(e.id);
    q.addBindValue(e.createdAt.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(orEmpty(e.request.text));
    q.addBindValue(orEmpty(e.request.character.id));
    q.addBindValue(orEmpty(e.request.character.name));
    q.addBindValue(toJsonText(paramsToJson(e.request.params)));
    q.addBindValue(QString::number(e.seed));
    q.addBindValue(orEmpty(e.engineId));
    q.addBindValue(orEmpty(e.engineName));
    q.addBindValue(e.durationSeconds);
    q.addBindValue(e.generationSeconds);
    q.addBindValue(e.firstAudioSeconds);
    q.addBindValue(e.queuedSeconds);
    q.addBindValue(orEmpty(e.audioPath));
    q.addBindValue(toJsonText(requestToJson(e.request)));
    q.addBindValue(orEmpty(e.notes.join(QLatin1Char('\n'))));
    c.run(q);
    QSqlQuery forget = c.query();
    c.prepare(forget, QStringLiteral("DELETE FROM pending_jobs WHERE id = ?"));
    forget.addBindValue(e.id);
    c.run(forget);
    t.commit();
}

QList<HistoryEntry> HistoryStore::entries(const QString& filter) const {
    Connection c(databasePath());
    QSqlQuery q = c.query();
    QString sql = QStringLiteral("SELECT %1 FROM history").arg(QLatin1String(kHistoryColumns));
    const QString needle = filter.trimmed();
    if (!needle.isEmpty())
        sql += QStringLiteral(" WHERE text LIKE ? ESCAPE '\\' OR character_name LIKE ? ESCAPE '\\' "
                              "OR character_id LIKE ? ESCAPE '\\'");
    sql += QStringLiteral(" ORDER BY id DESC");
    c.prepare(q, sql);
    if (!needle.isEmpty()) {
        QString escaped = needle;
        escaped.replace(QLatin1String("\\"), QLatin1String("\\\\"))
            .replace(QLatin1String("%"), QLatin1String("\\%"))
            .replace(QLatin1String("_"), QLatin1String("\\_"));
        const QString pattern = QLatin1Char('%') + escaped + QLatin1Char('%');
        for (int i = 0; i < 3; ++i)
            q.addBindValue(pattern);
    }
    c.run(q);
    QList<HistoryEntry> out;
    while (q.next())
        out.append(entryFromQuery(q));
    return out;
}

std::optional<HistoryEntry> HistoryStore::entry(JobId id) const {
    Connection c(databasePath());
    QSqlQuery q = c.query();
    c.prepare(q, QStringLiteral("SELECT %1 FROM history WHERE id = ?").arg(QLatin1String(kHistoryColumns)));
    q.addBindValue(id);
    c.run(q);
    if (!q.next())
        return std::nullopt;
    return entryFromQuery(q);
}

void HistoryStore::remove(JobId id) {
    const std::optional<HistoryEntry> e = entry(id);
    Connection c(databasePath());
    QSqlQuery q = c.query();
    c.prepare(q, QStringLiteral("DELETE FROM history WHERE id = ?"));
    q.addBindValue(id);
    c.run(q);
    if (e && !e->audioPath.isEmpty())
        QFile::remove(e->audioPath);
}

int HistoryStore::count() const {
    Connection c(databasePath());
    QSqlQuery q = c.query();
    c.prepare(q, QStringLiteral("SELECT COUNT(*) FROM history"));
    c.run(q);
    return q.next() ? q.value(0).toInt() : 0;
}

JobId HistoryStore::maxJobId() const {
    Connection c(databasePath());
    QSqlQuery q = c.query();
    c.prepare(q, QStringLiteral("SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM history "
                                "UNION ALL SELECT MAX(id) FROM pending_jobs)"));
    c.run(q);
    return q.next() ? q.value(0).toLongLong() : 0;
}

} // namespace echoforge
