#pragma once
// What the model folder holds of each catalogue model, and the record of which files were
// verified (MODELS/.checksums.json: path → size, modification time, SHA-256), so that a 6 GB
// file is hashed once, not at every look. Removing, verifying and importing happen here.

#include <cstdint>
#include <optional>

#include <QList>
#include <QString>

#include "core/hub/model_catalogue.h"

namespace echoforge {

enum class FileState {
    Missing,     // neither the file nor a part
    Partial,     // only NAME.part: a download to resume
    Unchecked,   // present, never verified (copied in by hand)
    Verified,    // its SHA-256 was checked and it has not changed since
    Damaged,     // its SHA-256 differs from the catalogue's or the recorded one
};
QString fileStateName(FileState state);   // "missing", "partial", "not verified", "verified", "damaged"

struct LocalFile {
    QString name;            // as the catalogue names it
    QString path;            // MODELS/folder/name
    FileState state = FileState::Missing;
    std::int64_t bytes = 0;  // of the file, or of the part
    QString sha256;          // the recorded one, when verified
};

struct ImportResult {
    QStringList placed;      // destination paths
    QStringList notes;       // one sentence per thing worth saying (skipped, replaced)
};

enum class ImportMode { Link, Copy };

class ModelStore {
public:
    explicit ModelStore(QString modelsDir);
    const QString& modelsDir() const { return dir_; }

    // The catalogue's files of `model`; a fine-tune: whatever csm/ holds.
    QList<LocalFile> files(const CatalogueModel& model) const;
    bool installed(const CatalogueModel& model) const;

    // Hashes each file (slow for big ones) and records the result; a file whose hash differs from
    // the catalogue's is Damaged. Returns the files with their new state.
    QList<LocalFile> verify(const CatalogueModel& model, const std::function<void(const QString& file)>& onFile = {});
    // Deletes the model's files, their parts and records. Returns the paths removed.
    QStringList remove(const CatalogueModel& model);

    // Records `sha256` for the file at `path` as it is now (after a verified download).
    void recordVerified(const QString& path, const QString& sha256);
    // The recorded SHA-256 if `path` is unchanged since it was recorded.
    std::optional<QString> recordedSha256(const QString& path) const;
    // The checksum state of any file of the folder: "verified", "not verified", "changed since verified".
    QString checksumState(const QString& path) const;

    // Brings a model folder the user already has into this one, by symbolic link or copy:
    // EchoForge's own layout (csm/, mimi/, tokenizer/), a folder of a repository's files, or the
    // Hugging Face cache (…/hub, models--ORG--NAME, or one of its snapshots/REV). Each file found
    // goes where docs/models.md puts it; a copy goes through NAME.part. Throws a sentence when
    // nothing usable is found.
    ImportResult import(const QString& source, ImportMode mode);

private:
    QString manifestPath() const;
    QString relative(const QString& path) const;

    QString dir_;
};

} // namespace echoforge
