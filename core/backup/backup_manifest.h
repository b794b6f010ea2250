#pragma once
// The manifest of a backup archive (manifest.json, the archive's last entry): what the archive
// holds, each file with its size and SHA-256, so a restore can prove every byte before it
// replaces anything.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace echoforge {

struct BackupFile {
    QString path;        // inside the archive: "data/<path below the data folder>" or "config/settings.ini"
    qint64 size = 0;
    QByteArray sha256;   // lower-case hex
    bool operator==(const BackupFile&) const = default;
};

struct BackupManifest {
    static constexpr const char* kFormat = "echoforge-backup";
    static constexpr int kVersion = 1;
    static constexpr const char* kFileName = "manifest.json";
    static constexpr const char* kSettingsPath = "config/settings.ini";
    static constexpr const char* kDataPrefix = "data/";

    QString appVersion;
    QDateTime created;   // UTC
    QList<BackupFile> files;

    qint64 totalBytes() const;
    const BackupFile* find(const QString& path) const;

    QByteArray toJson() const;
    // Throws echoforge::Error with a sentence when the JSON is not a manifest this version reads.
    static BackupManifest fromJson(const QByteArray& json);
};

// Whether `path` may name a file inside a backup: relative, '/'-separated, no empty, "." or ".."
// part, below data/ or the settings file. A restore writes nothing else.
bool isValidBackupPath(const QString& path);

} // namespace echoforge
