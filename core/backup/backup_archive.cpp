#include "core/backup/backup_archive.h"

#include <algorithm>
#include <cerrno>
#include <memory>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSaveFile>
#include <QStorageInfo>

#include <archive.h>
#include <archive_entry.h>

#include "core/common/error.h"

namespace echoforge {
namespace {

constexpr qint64 kChunk = 1 << 16;
constexpr qint64 kMaxManifestBytes = 64ll << 20;   // ~300 bytes a file: far beyond any data folder

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;

QString archiveError(archive* a) {
    const char* why = archive_error_string(a);
    return why ? QString::fromLocal8Bit(why) : QStringLiteral("unknown error");
}

// ---- writing ----

// Where libarchive writes: the save file, and why its last write failed. QFileDevice's own
// errorString() says "Unknown error" for a full disk, so the reason is read from errno here.
struct ArchiveOutput {
    explicit ArchiveOutput(const QString& path) : file(path) {}
    QSaveFile file;
    QString failure;   // strerror of the failed write, empty while all went well
};

la_ssize_t writeToSaveFile(archive*, void* client, const void* buffer, size_t length) {
    auto* out = static_cast<ArchiveOutput*>(client);
    errno = 0;
    const qint64 written = out->file.write(static_cast<const char*>(buffer), static_cast<qint64>(length));
    if (written != qint64(length) && out->failure.isEmpty())
        out->failure = errno != 0 ? qt_error_string(errno) : out->file.errorString();
    return written;
}

void writeEntry(archive* a, const QString& path, qint64 size, qint64 mtime) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname_utf8(entry.get(), path.toUtf8().constData());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0600);   // the user's private data
    archive_entry_set_size(entry.get(), size);
    archive_entry_set_mtime(entry.get(), mtime, 0);
    if (archive_write_header(a, entry.get()) != ARCHIVE_OK)
        throw Error(ErrorKind::Io, QStringLiteral("Cannot write the backup: %1.").arg(archiveError(a)));
}

void writeData(archive* a, const char* data, qint64 length) {
    if (archive_write_data(a, data, static_cast<size_t>(length)) != length)
        throw Error(ErrorKind::Io, QStringLiteral("Cannot write the backup: %1.").arg(archiveError(a)));
}

BackupFile writeFile(archive* a, const BackupSource& source) {
    QFile in(source.sourceFile);
    if (!in.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read %1 to back it up: %2.").arg(source.sourceFile, in.errorString()));
    const qint64 size = in.size();
    writeEntry(a, source.archivePath, size, QFileInfo(in).lastModified().toSecsSinceEpoch());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 done = 0;
    QByteArray chunk;
    while (done < size && !(chunk = in.read(std::min(kChunk, size - done))).isEmpty()) {
        hash.addData(chunk);
        writeData(a, chunk.constData(), chunk.size());
        done += chunk.size();
    }
    // A file that shrank or grew while it was read would not match its header: say so, keep nothing.
    if (done != size || !in.atEnd())
        throw Error(QStringLiteral("%1 changed while it was being backed up; try again.").arg(source.sourceFile));
    if (archive_write_finish_entry(a) != ARCHIVE_OK)
        throw Error(ErrorKind::Io, QStringLiteral("Cannot write the backup: %1.").arg(archiveError(a)));
    return {source.archivePath, size, hash.result().toHex()};
}

// ---- reading ----

QString entryPath(archive_entry* entry) {
    if (const char* utf8 = archive_entry_pathname_utf8(entry)) return QString::fromUtf8(utf8);
    if (const char* raw = archive_entry_pathname(entry)) return QString::fromLocal8Bit(raw);
    return {};
}

Error damaged(const QString& why) {
    return Error(QStringLiteral("This file is not a usable EchoForge backup: %1.").arg(why));
}

BackupManifest readOpened(archive* a, BackupSink* sink) {
    QHash<QString, BackupFile> found;
    QByteArray manifestJson;
    bool haveManifest = false;
    archive_entry* entry = nullptr;
    QByteArray buffer(kChunk, Qt::Uninitialized);
    for (;;) {
        const int status = archive_read_next_header(a, &entry);
        if (status == ARCHIVE_EOF) break;
        if (status < ARCHIVE_WARN) throw damaged(QStringLiteral("it cannot be read (%1)").arg(archiveError(a)));
        const QString path = entryPath(entry);
        if (haveManifest) throw damaged(QStringLiteral("something follows its manifest"));
        if (archive_entry_filetype(entry) != AE_IFREG)
            throw damaged(QStringLiteral("it holds something other than a plain file (%1)").arg(path.left(200)));
        // writeBackupArchive never writes a sparse file, and a few hundred bytes of sparse map
        // stand for as many zeros as they like: a 530-byte archive made a restore write 300 MB,
        // and could fill the disk (fuzz_backup_archive).
        if (archive_entry_sparse_count(entry) > 0)
            throw damaged(QStringLiteral("it holds a sparse file, which EchoForge never writes (%1)").arg(path.left(200)));
        const bool isManifest = path == QLatin1String(BackupManifest::kFileName);
        if (!isManifest && !isValidBackupPath(path))
            throw damaged(QStringLiteral("it holds a file outside the data folder (%1)").arg(path.left(200)));
        if (found.contains(path)) throw damaged(QStringLiteral("it holds %1 twice").arg(path));

        QCryptographicHash hash(QCryptographicHash::Sha256);
        qint64 size = 0;
        if (sink && !isManifest) {
            // tar declares every size up front; the data that follows cannot be longer.
            if (archive_entry_size_is_set(entry)) sink->expect(archive_entry_size(entry));
            sink->open(path);
        }
        for (;;) {
            const la_ssize_t n = archive_read_data(a, buffer.data(), static_cast<size_t>(buffer.size()));
            if (n < 0) throw damaged(QStringLiteral("%1 cannot be read (%2)").arg(path, archiveError(a)));
            if (n == 0) break;
            const QByteArrayView chunk(buffer.constData(), n);
            size += n;
            if (isManifest) {
                if (size > kMaxManifestBytes) throw damaged(QStringLiteral("its manifest is too large"));
                manifestJson.append(chunk);
            } else {
                hash.addData(chunk);
                if (sink) sink->write(chunk);
            }
        }
        if (isManifest) {
            haveManifest = true;
            continue;
        }
        if (sink) sink->close();
        found.insert(path, {path, size, hash.result().toHex()});
    }
    if (!haveManifest) throw damaged(QStringLiteral("it has no manifest (is it a whole backup?)"));

    const BackupManifest manifest = BackupManifest::fromJson(manifestJson);
    for (const BackupFile& listed : manifest.files) {
        const auto it = found.constFind(listed.path);
        if (it == found.cend()) throw damaged(QStringLiteral("%1 is missing").arg(listed.path));
        if (it->size != listed.size || it->sha256 != listed.sha256)
            throw damaged(QStringLiteral("%1 does not match its checksum (the file is damaged)").arg(listed.path));
    }
    if (found.size() != manifest.files.size())
        throw damaged(QStringLiteral("it holds files its manifest does not list"));
    return manifest;
}

ArchivePtr newReader() {
    ArchivePtr a(archive_read_new(), archive_read_free);
    // Only what writeBackupArchive makes: tar (any POSIX flavour) with gzip or nothing.
    archive_read_support_filter_gzip(a.get());
    archive_read_support_format_tar(a.get());
    return a;
}

} // namespace

void BackupFolderSink::expect(qint64 bytes) {
    if (available_ < 0) {
        QDir().mkpath(root_);
        available_ = QStorageInfo(root_).bytesAvailable();
    }
    expected_ += std::max<qint64>(0, bytes);
    if (available_ >= 0 && expected_ > available_ - kKeptFreeBytes) {
        constexpr double kMB = 1 << 20;
        throw Error(ErrorKind::Io,
                    QStringLiteral("This backup unpacks to more than the disk at %1 has room for (%2 MB so far, %3 MB "
                                   "free, and %4 MB must stay free); make room or restore on another disk. Nothing was changed.")
                        .arg(QStorageInfo(root_).rootPath())
                        .arg(expected_ / kMB, 0, 'f', 0)
                        .arg(std::max<qint64>(0, available_) / kMB, 0, 'f', 0)
                        .arg(kKeptFreeBytes / kMB, 0, 'f', 0));
    }
}

void BackupFolderSink::open(const QString& archivePath) {
    const QString target = QDir(root_).filePath(archivePath);
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        throw Error(QStringLiteral("Cannot create a folder in %1 to restore into; check that it is writable.").arg(root_));
    file_.setFileName(target);
    if (!file_.open(QIODevice::WriteOnly))
        throw Error(QStringLiteral("Cannot restore into %1: %2.").arg(target, file_.errorString()));
}

void BackupFolderSink::write(QByteArrayView chunk) {
    if (file_.write(chunk.data(), chunk.size()) != chunk.size())
        throw Error(QStringLiteral("Cannot restore into %1: %2.").arg(file_.fileName(), file_.errorString()));
}

void BackupFolderSink::close() {
    if (!file_.flush())
        throw Error(QStringLiteral("Cannot restore into %1: %2.").arg(file_.fileName(), file_.errorString()));
    file_.close();
}

// The archive goes through a QSaveFile, so a failure part way leaves the file that was there
// before (an older backup) as it was and no temporary beside it.
BackupManifest writeBackupArchive(const QString& archiveFile, const QList<BackupSource>& sources, const QString& appVersion) {
    ArchiveOutput out(archiveFile);
    if (!out.file.open(QIODevice::WriteOnly))
        throw Error(ErrorKind::Io, QStringLiteral("Cannot write the backup to %1: %2.").arg(archiveFile, out.file.errorString()));
    // libarchive reports a failed write of its client as "unknown error"; the file's own error
    // (ENOSPC, EFBIG) is what the user can act on.
    const auto diskFull = [&] {
        return Error(ErrorKind::Io, QStringLiteral("Cannot write the backup to %1 (%2); check that the disk has room.")
                                        .arg(archiveFile, out.failure.isEmpty() ? out.file.errorString() : out.failure));
    };
    try {
        ArchivePtr a(archive_write_new(), archive_write_free);
        if (archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK || archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
            archive_write_open(a.get(), &out, nullptr, writeToSaveFile, nullptr) != ARCHIVE_OK)
            throw Error(ErrorKind::Io, QStringLiteral("Cannot write the backup: %1.").arg(archiveError(a.get())));

        BackupManifest manifest;
        manifest.appVersion = appVersion;
        manifest.created = QDateTime::currentDateTimeUtc();
        for (const BackupSource& source : sources) {
            if (!isValidBackupPath(source.archivePath))
                throw Error(QStringLiteral("Cannot back up %1: its name cannot be stored.").arg(source.sourceFile));
            manifest.files << writeFile(a.get(), source);
        }
        const QByteArray json = manifest.toJson();
        writeEntry(a.get(), QString::fromLatin1(BackupManifest::kFileName), json.size(), manifest.created.toSecsSinceEpoch());
        writeData(a.get(), json.constData(), json.size());
        if (archive_write_close(a.get()) != ARCHIVE_OK)
            throw Error(ErrorKind::Io, QStringLiteral("Cannot write the backup: %1.").arg(archiveError(a.get())));
        if (!out.file.commit())
            throw diskFull();
        return manifest;
    } catch (const Error&) {
        if (!out.failure.isEmpty() || out.file.error() != QFileDevice::NoError)
            throw diskFull();
        throw;
    }
}

BackupManifest readBackupArchive(const QString& archiveFile, BackupSink* sink) {
    if (!QFileInfo(archiveFile).isFile())
        throw Error(QStringLiteral("There is no backup file %1.").arg(archiveFile));
    ArchivePtr a = newReader();
    if (archive_read_open_filename(a.get(), QFile::encodeName(archiveFile).constData(), kChunk) != ARCHIVE_OK)
        throw damaged(QStringLiteral("it cannot be opened (%1)").arg(archiveError(a.get())));
    return readOpened(a.get(), sink);
}

BackupManifest readBackupArchive(QByteArrayView bytes, BackupSink* sink) {
    ArchivePtr a = newReader();
    if (archive_read_open_memory(a.get(), bytes.data(), static_cast<size_t>(bytes.size())) != ARCHIVE_OK)
        throw damaged(QStringLiteral("it cannot be opened (%1)").arg(archiveError(a.get())));
    return readOpened(a.get(), sink);
}

} // namespace echoforge
