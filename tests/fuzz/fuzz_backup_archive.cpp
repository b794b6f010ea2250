// Fuzz target: a backup archive as a restore reads it first (core/backup/backup.cpp,
// restoreBackup step 1): the bytes as a file, unpacked by the restore's own sink into a staging
// folder while libarchive reads the tar (gzip or plain) and the manifest and checksums are
// checked. The staging folder is a fresh temporary folder inside the scratch folder, removed after
// every input. What is accepted must have put exactly the manifest's files, with their sizes,
// below the staging folder and nothing anywhere else.

#include <QDirIterator>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>

#include "core/backup/backup_archive.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

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
    const QString archive = echoforge::fuzz::writeScratchFile(QStringLiteral("backup.tar.gz"), data, size);
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
