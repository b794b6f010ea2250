#include "core/backup/backup.h"

#include <QDirIterator>
#include <QFile>
#include <QLocale>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>

#include "core/backup/backup_archive.h"
#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/common/paths.h"
#include "core/common/process_lock.h"
#include "core/tasks/task_engine.h"

namespace echoforge {
namespace {

const QString kStagingPrefix = QStringLiteral(".restore-");

// What is not the user's own: paths of this machine (models, caches, logs; the settings file is
// stored on its own; the archive itself, should it be written to or read from the data folder)
// and, by name, lock files, SQLite's side files (the snapshot holds their content) and a restore's
// working folders.
struct Exclusions {
    QStringList paths;

    Exclusions(const AppPaths& p, const QString& archiveFile) {
        for (const QString& path : {p.modelsDir, p.cacheDir, p.logsDir, p.settingsFile, archiveFile})
            paths << QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    }
    bool excludes(const QFileInfo& info) const {
        const QString name = info.fileName();
        if (name.startsWith(kStagingPrefix) || name.endsWith(QLatin1String(".lock")) || name.endsWith(QLatin1String(".rmlock")) ||
            name.endsWith(QLatin1String("-wal")) || name.endsWith(QLatin1String("-shm")) || name.endsWith(QLatin1String("-journal")) ||
            info.isSymLink())
            return true;
        return paths.contains(QDir::cleanPath(info.absoluteFilePath()));
    }
    bool containsExcluded(const QString& dir) const {
        const QString prefix = QDir::cleanPath(dir) + '/';
        for (const QString& p : paths)
            if (p.startsWith(prefix)) return true;
        return false;
    }
};

// The largest pieces of `dir` that hold only user data, relative to `root`: a folder that holds an
// excluded path (the data folder itself, usually) is split into its children.
void collectUserEntries(const QString& root, const QString& dir, const Exclusions& ex, QStringList& out) {
    const QDir d(dir);
    for (const QFileInfo& info : d.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name)) {
        if (ex.excludes(info)) continue;
        if (info.isDir() && ex.containsExcluded(info.absoluteFilePath()))
            collectUserEntries(root, info.absoluteFilePath(), ex, out);
        else
            out << QDir(root).relativeFilePath(info.absoluteFilePath());
    }
}

QStringList userEntries(const AppPaths& paths, const Exclusions& ex) {
    QStringList out;
    if (QFileInfo(paths.dataDir).isDir()) collectUserEntries(paths.dataDir, paths.dataDir, ex, out);
    return out;
}

bool isSqliteDatabase(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) && f.read(16) == QByteArray("SQLite format 3\0", 16);
}

// A consistent copy of a live SQLite database (WAL included) in `target`.
void snapshotSqlite(const QString& source, const QString& target) {
    const QString connection = QStringLiteral("backup-%1").arg(QUuid::createUuid().toString(QUuid::Id128));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(source);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        QString failure;
        if (!db.open()) {
            failure = db.lastError().text();
        } else {
            QSqlQuery q(db);
            QString quoted = target;
            quoted.replace('\'', QLatin1String("''"));
            if (!q.exec(QStringLiteral("VACUUM INTO '%1'").arg(quoted))) failure = q.lastError().text();
        }
        db.close();
        if (!failure.isEmpty()) {
            db = {};
            QSqlDatabase::removeDatabase(connection);
            throw Error(QStringLiteral("Cannot copy the database %1 for the backup: %2.").arg(source, failure));
        }
    }
    QSqlDatabase::removeDatabase(connection);
}

// Held for the whole restore: no studio or server may start on the folder while it is swapped.
std::unique_ptr<ProcessLock> lockDataFolder(const AppPaths& paths) {
    if (!QDir().mkpath(paths.historyDir))
        throw Error(QStringLiteral("Cannot create the folder %1; check that it is writable.").arg(paths.historyDir));
    ProcessLock::Holder other;   // the task engine's lock: no engine may run while we hold it
    if (auto lock = ProcessLock::tryTake(historyLockFile(paths.historyDir), &other))
        return lock;
    throw Error(ErrorKind::Busy, QStringLiteral("EchoForge (%1, process %2) is using the data folder %3. Close it (the studio or the server) "
                               "first, then restore.")
                    .arg(other.program.isEmpty() ? QStringLiteral("unknown") : other.program)
                    .arg(other.pid)
                    .arg(QDir::toNativeSeparators(paths.dataDir)));
}

// Renames, remembered so that a failure puts everything back where it was.
class SwapJournal {
public:
    void move(const QString& from, const QString& to) {
        QDir().mkpath(QFileInfo(to).absolutePath());
        if (!QDir().rename(from, to))   // a plain rename: never a slow copy
            throw Error(QStringLiteral("Cannot move %1 to %2 while restoring; the old data is kept.").arg(from, to));
        done_.append({from, to});
    }
    // False when something could not be put back (then nothing may be deleted).
    bool rollback() noexcept {
        bool all = true;
        for (auto it = done_.crbegin(); it != done_.crend(); ++it) {
            if (!QDir().rename(it->second, it->first)) {
                logger(LogArea::Core)->error("restore: could not move {} back to {}", it->second.toStdString(), it->first.toStdString());
                all = false;
            }
        }
        done_.clear();
        return all;
    }

private:
    QList<std::pair<QString, QString>> done_;
};

// Moves what `from` holds into `to`, merging with folders that are there (this machine's models,
// caches, logs: never replaced).
void moveInto(const QString& from, const QString& to, SwapJournal& journal) {
    for (const QFileInfo& info : QDir(from).entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)) {
        const QFileInfo target(QDir(to).filePath(info.fileName()));
        if (!target.exists() && !target.isSymLink())
            journal.move(info.absoluteFilePath(), target.absoluteFilePath());
        else if (info.isDir() && target.isDir())
            moveInto(info.absoluteFilePath(), target.absoluteFilePath(), journal);
        else
            logger(LogArea::Core)->warn("restore: {} is kept; this machine uses that path", target.absoluteFilePath().toStdString());
    }
}

QString sizeText(qint64 bytes) {
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

} // namespace

BackupManifest createBackup(const AppPaths& paths, const QString& archiveFile) {
    QTemporaryDir snapshots;
    if (!snapshots.isValid())
        throw Error(QStringLiteral("Cannot make a temporary folder for the backup: %1.").arg(snapshots.errorString()));
    QList<BackupSource> sources;
    if (QFileInfo(paths.settingsFile).isFile())
        sources << BackupSource{QString::fromLatin1(BackupManifest::kSettingsPath), paths.settingsFile};
    const Exclusions ex(paths, archiveFile);
    for (const QString& entry : userEntries(paths, ex)) {
        const QString absolute = QDir(paths.dataDir).filePath(entry);
        QStringList files;
        if (QFileInfo(absolute).isDir()) {
            QDirIterator it(absolute, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                if (!ex.excludes(QFileInfo(file))) files << file;
            }
            files.sort();   // the same folder gives the same archive order
        } else {
            files << absolute;
        }
        for (const QString& file : files) {
            BackupSource s{QString::fromLatin1(BackupManifest::kDataPrefix) + QDir(paths.dataDir).relativeFilePath(file), file};
            if (isSqliteDatabase(file)) {
                s.sourceFile = snapshots.filePath(QString::number(sources.size()) + QStringLiteral(".sqlite"));
                snapshotSqlite(file, s.sourceFile);
            }
            sources << s;
        }
    }
    const BackupManifest manifest = writeBackupArchive(archiveFile, sources, QStringLiteral(ECHOFORGE_VERSION));
    logger(LogArea::Core)->info("backup: {} to {}", describeBackup(manifest).toStdString(), archiveFile.toStdString());
    return manifest;
}

BackupManifest restoreBackup(const AppPaths& paths, const QString& archiveFile) {
    const auto lock = lockDataFolder(paths);
    const QString token = QUuid::createUuid().toString(QUuid::Id128).left(12);
    const auto cannotMake = [&paths] {
        return Error(QStringLiteral("Cannot make a folder in %1 to restore into; check that it is writable.").arg(paths.dataDir));
    };
    QTemporaryDir staging(QDir(paths.dataDir).filePath(kStagingPrefix + token + QStringLiteral("-XXXXXX")));
    if (!staging.isValid()) throw cannotMake();

    // 1. Unpack and check everything beside the data; nothing of the old data has moved yet.
    BackupFolderSink sink(staging.path());
    const BackupManifest manifest = readBackupArchive(archiveFile, &sink);

    QTemporaryDir trash(QDir(paths.dataDir).filePath(kStagingPrefix + QStringLiteral("old-") + token + QStringLiteral("-XXXXXX")));
    if (!trash.isValid()) throw cannotMake();
    trash.setAutoRemove(false);   // it holds the old data until the swap has succeeded

    // 2. Swap: the old user entries into the trash, the restored ones into place; the settings file
    // through a copy in its own folder (the config folder may be on another file system).
    // Named like the working folders, so that they are never taken for user data (with
    // ECHOFORGE_DATA_DIR the settings file sits in the data folder).
    const QFileInfo settingsInfo(paths.settingsFile);
    const QString newSettings = settingsInfo.dir().filePath(kStagingPrefix + QStringLiteral("new-") + settingsInfo.fileName());
    const QString oldSettings = settingsInfo.dir().filePath(kStagingPrefix + QStringLiteral("old-") + settingsInfo.fileName());
    SwapJournal journal;
    try {
        const QString restoredSettings = QDir(staging.path()).filePath(QString::fromLatin1(BackupManifest::kSettingsPath));
        QFile::remove(newSettings);
        QFile::remove(oldSettings);
        if (QFileInfo(restoredSettings).isFile() && (!QDir().mkpath(QFileInfo(newSettings).absolutePath()) || !QFile::copy(restoredSettings, newSettings)))
            throw Error(QStringLiteral("Cannot write the settings to %1; the old data is kept.").arg(paths.settingsFile));
        for (const QString& entry : userEntries(paths, Exclusions(paths, archiveFile)))
            journal.move(QDir(paths.dataDir).filePath(entry), QDir(trash.path()).filePath(entry));
        const QString restoredData = QDir(staging.path()).filePath(QStringLiteral("data"));
        if (QFileInfo(restoredData).isDir())
            moveInto(restoredData, paths.dataDir, journal);
        if (QFileInfo(paths.settingsFile).exists())
            journal.move(paths.settingsFile, oldSettings);
        if (QFileInfo(newSettings).isFile())
            journal.move(newSettings, paths.settingsFile);
    } catch (const Error& e) {
        QFile::remove(newSettings);
        if (!journal.rollback())
            throw Error(QStringLiteral("%1 Some of the old data could not be put back; it is in %2.").arg(e.sentence(), trash.path()));
        trash.remove();
        throw;
    }
    QFile::remove(oldSettings);
    // The lock file went to the trash with the old history folder: put it back under the restored
    // one, where the lock is released from, before the old data goes.
    const QString lockFile = historyLockFile(paths.historyDir);
    QDir().mkpath(paths.historyDir);
    QDir().rename(QDir(trash.path()).filePath(QDir(paths.dataDir).relativeFilePath(lockFile)), lockFile);
    trash.remove();
    logger(LogArea::Core)->info("restore: {} from {}", describeBackup(manifest).toStdString(), archiveFile.toStdString());
    return manifest;   // the staging folder, empty now, goes with its QTemporaryDir
}

QString describeBackup(const BackupManifest& manifest) {
    const qsizetype n = manifest.files.size();
    return QStringLiteral("%1 %2, %3, made %4 by EchoForge %5")
        .arg(n)
        .arg(n == 1 ? QStringLiteral("file") : QStringLiteral("files"))
        .arg(sizeText(manifest.totalBytes()))
        .arg(manifest.created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")))
        .arg(manifest.appVersion.isEmpty() ? QStringLiteral("(unknown version)") : manifest.appVersion);
}

} // namespace echoforge
