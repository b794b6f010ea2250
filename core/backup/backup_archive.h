#pragma once
// Backup archives on disk: a gzip-compressed POSIX tar (libarchive) of plain files with the
// manifest (backup_manifest.h) as its last entry. The reader needs only the bytes or the file,
// no app and no data folder, so it can be fuzzed on its own.

#include <QByteArrayView>
#include <QFile>
#include <QList>
#include <QString>

#include "core/backup/backup_manifest.h"

namespace echoforge {

struct BackupSource {
    QString archivePath;   // where the file goes in the archive (isValidBackupPath)
    QString sourceFile;    // where its bytes are read from
};

// Writes every source in order and the manifest last to `archiveFile`, through a temporary file,
// so a failed backup leaves no half-written archive. Each file is hashed as it is written, so the
// checksum is of the very bytes in the archive. Throws echoforge::Error; returns the manifest.
BackupManifest writeBackupArchive(const QString& archiveFile, const QList<BackupSource>& sources, const QString& appVersion);

// Receives each file's bytes as the reader meets them (archive order).
class BackupSink {
public:
    virtual ~BackupSink() = default;
    // The size the archive declares for the next file, before open(): a sink that keeps the
    // bytes throws a sentence when they will not fit, before any is written.
    virtual void expect(qint64 bytes) { Q_UNUSED(bytes); }
    virtual void open(const QString& archivePath) = 0;
    virtual void write(QByteArrayView chunk) = 0;
    virtual void close() = 0;
};

// Writes each file below `root` (at root/<archive path>), as a restore unpacks the archive into
// its staging folder before anything of the old data moves. Only paths readBackupArchive has
// accepted (isValidBackupPath) reach it, so nothing is written outside `root`. The files must
// leave kKeptFreeBytes free on root's disk: a few kilobytes of gzip can declare gigabytes of
// zeros (a "gzip bomb"), and a restore must not fill the disk before it finds out.
class BackupFolderSink : public BackupSink {
public:
    static constexpr qint64 kKeptFreeBytes = qint64(64) << 20;
    explicit BackupFolderSink(QString root) : root_(std::move(root)) {}
    void expect(qint64 bytes) override;
    void open(const QString& archivePath) override;
    void write(QByteArrayView chunk) override;
    void close() override;

private:
    QString root_;
    QFile file_;
    qint64 expected_ = 0;      // bytes declared so far
    qint64 available_ = -1;    // root's free bytes when the first file came; -1: not read yet
};

// Reads the whole archive and checks it: only plain files at valid paths, no file twice, a
// manifest last, and every file present with the manifest's size and SHA-256, no other. Throws
// echoforge::Error with a sentence when any of that fails (after the sink has seen the bytes: a
// caller that writes them somewhere keeps them aside until this returns).
BackupManifest readBackupArchive(const QString& archiveFile, BackupSink* sink = nullptr);
BackupManifest readBackupArchive(QByteArrayView bytes, BackupSink* sink = nullptr);

} // namespace echoforge
