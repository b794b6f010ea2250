#include "core/hub/model_store.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "core/hub/file_download.h"

namespace echoforge {

namespace {

QJsonObject readManifest(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();   // unreadable: nothing recorded
}

void writeManifest(const QString& path, const QJsonObject& manifest) {
    QSaveFile f(path);
    if (f.open(QIODevice::WriteOnly)) {
        f.write(QJsonDocument(manifest).toJson());
        f.commit();
    }
}

// The files of a fine-tune in csm/: its config and weights, whatever their names.
QStringList csmFolderFiles(const QDir& csm) {
    return csm.entryList({QStringLiteral("config.json"), QStringLiteral("*.safetensors"), QStringLiteral("*.safetensors.index.json")},
                         QDir::Files, QDir::Name);
}

} // namespace

QString fileStateName(FileState state) {
    switch (state) {
    case FileState::Missing: return QStringLiteral("missing");
    case FileState::Partial: return QStringLiteral("partial");
    case FileState::Unchecked: return QStringLiteral("not verified");
    case FileState::Verified: return QStringLiteral("verified");
    case FileState::Damaged: return QStringLiteral("damaged");
    }
    return {};
}

ModelStore::ModelStore(QString modelsDir) : dir_(std::move(modelsDir)) {}

QString ModelStore::manifestPath() const { return QDir(dir_).filePath(QStringLiteral(".checksums.json")); }
QString ModelStore::relative(const QString& path) const { return QDir(dir_).relativeFilePath(path); }

QList<LocalFile> ModelStore::files(const CatalogueModel& model) const {
    const QDir folder(QDir(dir_).filePath(model.folder));
    QList<CatalogueFile> wanted = model.files;
    if (model.fineTune && wanted.isEmpty())
        for (const QString& name : csmFolderFiles(folder))
            wanted.append({name, -1, {}});
    QList<LocalFile> out;
    for (const CatalogueFile& f : wanted) {
        LocalFile local{f.name, folder.filePath(f.name)};
        const QFileInfo info(local.path), part(local.path + QStringLiteral(".part"));
        if (info.isFile()) {
            local.bytes = info.size();
            const auto recorded = recordedSha256(local.path);
            local.state = !recorded ? FileState::Unchecked
                        : (!f.sha256.isEmpty() && *recorded != f.sha256) ? FileState::Damaged
                                                                          : FileState::Verified;
            local.sha256 = recorded.value_or(QString());
        } else if (part.isFile()) {
            local.state = FileState::Partial;
            local.bytes = part.size();
        }
        out.append(local);
    }
    return out;
}

bool ModelStore::installed(const CatalogueModel& model) const {
    const auto local = files(model);
    if (local.isEmpty())
        return false;
    for (const auto& f : local)
        if (f.state == FileState::Missing || f.state == FileState::Partial || f.state == FileState::Damaged)
            return false;
    return true;
}

QList<LocalFile> ModelStore::verify(const CatalogueModel& model, const std::function<void(const QString&)>& onFile) {
    QList<LocalFile> out = files(model);
    for (int i = 0; i < out.size(); ++i) {
        LocalFile& f = out[i];
        if (f.state == FileState::Missing || f.state == FileState::Partial)
            continue;
        if (onFile)
            onFile(f.path);
        const QString sha = fileSha256(f.path);
        QString expected;
        for (const auto& c : model.files)
            if (c.name == f.name)
                expected = c.sha256;
        const QString recorded = readManifest(manifestPath()).value(relative(f.path)).toObject().value("sha256").toString();
        // Damaged: not what the catalogue says, or (without one) changed since it was verified.
        const bool bad = !expected.isEmpty() ? sha != expected : (!recorded.isEmpty() && recorded != sha);
        f.sha256 = sha;
        f.state = bad ? FileState::Damaged : FileState::Verified;
        if (!bad)
            recordVerified(f.path, sha);
    }
    return out;
}

QStringList ModelStore::remove(const CatalogueModel& model) {
    QStringList removed;
    QJsonObject manifest = readManifest(manifestPath());
    for (const LocalFile& f : files(model)) {
        for (const QString& path : {f.path, f.path + QStringLiteral(".part")})
            if (QFileInfo(path).isFile() || QFileInfo(path).isSymLink())
                if (QFile::remove(path))
                    removed << path;
        manifest.remove(relative(f.path));
    }
    writeManifest(manifestPath(), manifest);
    return removed;
}

void ModelStore::recordVerified(const QString& path, const QString& sha256) {
    QJsonObject manifest = readManifest(manifestPath());
    const QFileInfo info(path);
    manifest.insert(relative(path), QJsonObject{{"size", double(info.size())},
                                                {"modified", double(info.lastModified().toMSecsSinceEpoch())},
                                                {"sha256", sha256}});
    QDir().mkpath(dir_);
    writeManifest(manifestPath(), manifest);
}

std::optional<QString> ModelStore::recordedSha256(const QString& path) const {
    const QJsonObject entry = readManifest(manifestPath()).value(relative(path)).toObject();
    const QFileInfo info(path);
    if (entry.isEmpty() || !info.isFile() || qint64(entry.value("size").toDouble()) != info.size() ||
        qint64(entry.value("modified").toDouble()) != info.lastModified().toMSecsSinceEpoch())
        return std::nullopt;
    return entry.value("sha256").toString();
}

QString ModelStore::checksumState(const QString& path) const {
    if (recordedSha256(path))
        return QStringLiteral("verified");
    return readManifest(manifestPath()).contains(relative(path)) ? QStringLiteral("changed since verified")
                                                                 : QStringLiteral("not verified");
}

} // namespace echoforge
