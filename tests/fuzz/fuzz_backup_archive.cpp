// Fuzz target: a backup archive as a restore reads it first (core/backup/backup.cpp,
// restoreBackup step 1): the bytes as a file, unpacked by the restore's own sink into a staging
// folder while libarchive reads the tar (gzip or plain) and the manifest and checksums are
// checked. The staging folder is a fresh temporary folder inside the scratch folder, removed after
// every input. What is accepted must have put exactly the manifest's files, with their sizes,
// below the staging folder and nothing anywhere else.
//
// Mutated tar and gzip bytes mostly fail their own checksums, which keeps the fuzzer in
// libarchive; so an input starting with "EFB1\n" is entries instead ("path\ncontent", separated by
// "\n\x1e"), which this target packs into a well-formed tar first: the mutations then reach the
// entry paths, the manifest JSON and the checksum comparison.

#include <memory>

#include <QDirIterator>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>

#include <archive.h>
#include <archive_entry.h>

#include "core/backup/backup_archive.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

// "EFB1\n" then "path\ncontent" records separated by "\n\x1e", as a plain pax tar.
QByteArray tarOfEntries(const QByteArray& records) {
    std::unique_ptr<archive, int (*)(archive*)> a(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1);
    QByteArray out(records.size() * 2 + (64 << 10), Qt::Uninitialized);
    size_t used = 0;
    if (archive_write_open_memory(a.get(), out.data(), size_t(out.size()), &used) != ARCHIVE_OK)
        std::abort();
    for (const QByteArray& record : records.split('\x1e')) {
        const qsizetype newline = record.indexOf('\n');
        const QByteArray path = record.first(newline < 0 ? record.size() : newline);
        QByteArray content = newline < 0 ? QByteArray() : record.mid(newline + 1);
        if (content.endsWith('\n'))
            content.chop(1);   // the separator's line break
        std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname(entry.get(), path.constData());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0600);
        archive_entry_set_size(entry.get(), content.size());
        if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK)
            continue;   // a path libarchive cannot store: left out
        archive_write_data(a.get(), content.constData(), size_t(content.size()));
    }
    archive_write_close(a.get());
    return out.first(qsizetype(used));
}

QStringList scratchEntries() {
    return QDir(echoforge::fuzz::scratchDir()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Every file below `root`, relative to it.
QSet<QString> filesBelow(const QString& root) {
    QSet<QString> files;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.insert(QDir(root).relativeFilePath(it.next()));
    return files;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    if (bytes.startsWith("EFB1\n"))
        bytes = tarOfEntries(bytes.mid(5));
    const QString archive = echoforge::fuzz::writeScratchFile(QStringLiteral("backup.tar.gz"),
                                                              reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size()));
    const QStringList before = scratchEntries();
    {
        QTemporaryDir staging(echoforge::fuzz::scratchDir() + QStringLiteral("/staging-XXXXXX"));
        if (!staging.isValid())
            std::abort();
        // The sentence may name the archive's problem or the staging folder; any non-empty one will do.
        echoforge::fuzz::expectAcceptedOrRefused([&] {
            echoforge::BackupFolderSink sink(staging.path());
            const echoforge::BackupManifest manifest = echoforge::readBackupArchive(archive, &sink);
            QSet<QString> listed;
            for (const echoforge::BackupFile& f : manifest.files) {
                if (!echoforge::isValidBackupPath(f.path) || QFileInfo(QDir(staging.path()).filePath(f.path)).size() != f.size)
                    std::abort();   // an accepted restore must hold every listed file, whole
                listed.insert(f.path);
            }
            if (filesBelow(staging.path()) != listed)
                std::abort();   // and nothing the manifest does not list
        }, QString());
    }
    if (scratchEntries() != before)
        std::abort();   // something was written beside the staging folder, or it was not removed
    return 0;
}
