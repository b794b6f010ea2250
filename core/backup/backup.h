#pragma once
// Backing up and restoring the user's EchoForge data: the settings file and everything in the data
// folder that the user made (characters, voice anchors, history, and whatever new kind of data
// lands there later), but not the models, caches, logs, lock files or a restore's leftovers.
//
// A restore is refused while a studio or server holds the data folder (the task engine's history
// lock, which the restore holds itself while it works); it unpacks and checks the whole archive in a
// folder beside the data first, and only then swaps the folders, so a failed restore leaves the old
// data as it was.

#include <QString>

#include "core/backup/backup_manifest.h"

namespace echoforge {

struct AppPaths;

// Writes the backup to `archiveFile`. SQLite databases are copied as a consistent snapshot
// (VACUUM INTO), so a backup may run while the studio is writing. Throws echoforge::Error.
BackupManifest createBackup(const AppPaths& paths, const QString& archiveFile);

// Replaces the user's data with the archive's. Throws echoforge::Error with a sentence (the old
// data untouched) when the folder is in use or the archive is damaged, foreign or unreadable.
BackupManifest restoreBackup(const AppPaths& paths, const QString& archiveFile);

// "42 files, 3.1 MB, made 2026-12-03 17:20 UTC by EchoForge 0.1.0"
QString describeBackup(const BackupManifest& manifest);

} // namespace echoforge
