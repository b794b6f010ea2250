#pragma once
// Shared by the crash and fault tests: the worker's event lines, the job ids in them, and
// SQLite's own verdict on the history database.

#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include "core/tasks/job.h"

namespace echoforge::test {

class WorkerOutput {
public:
    explicit WorkerOutput(QProcess& p) : m_process(p), m_spy(&p, &QProcess::readyReadStandardOutput) {}

    // Waits until `count` lines start with `prefix` (or `timeoutMs` passes without output); returns them.
    QStringList waitFor(const QString& prefix, int count, int timeoutMs = 30000) {
        for (;;) {
            readAvailable();
            const QStringList matching = linesStartingWith(prefix);
            if (matching.size() >= count || !m_spy.wait(timeoutMs))
                return matching;
        }
    }

    // Every line read so far that starts with `prefix`, after reading what is waiting.
    QStringList linesStartingWith(const QString& prefix) {
        readAvailable();
        return m_lines.filter(QRegularExpression("^" + QRegularExpression::escape(prefix)));
    }

private:
    void readAvailable() {
        while (m_process.canReadLine())
            m_lines.append(QString::fromUtf8(m_process.readLine()).trimmed());
    }

    QProcess& m_process;
    QSignalSpy m_spy;
    QStringList m_lines;
};

// The ids in lines such as "finished 12".
inline QSet<JobId> idsOf(const QStringList& lines) {
    QSet<JobId> ids;
    for (const QString& line : lines)
        ids.insert(line.section(' ', 1, 1).toLongLong());
    return ids;
}

// What PRAGMA integrity_check answers for the database ("ok" when it is sound).
inline QString integrityOf(const QString& databasePath) {
    const QString name = QStringLiteral("integrity-check");
    QString answer;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(databasePath);
        if (!db.open())
            return QStringLiteral("cannot open: ") + db.lastError().text();
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("PRAGMA integrity_check")))
            answer = QStringLiteral("cannot check: ") + q.lastError().text();
        while (q.next())
            answer += q.value(0).toString();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return answer;
}

} // namespace echoforge::test
