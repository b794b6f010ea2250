// ModelStore::import: finds CSM, Mimi and the tokenizer in a folder the user already has and
// links or copies them into the model folder's layout (docs/models.md).

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/common/error.h"
#include "core/hub/model_store.h"
#include "core/model/checkpoint_files.h"

namespace echoforge {

namespace {

constexpr auto kPublishedMimi = "tokenizer-e351c8d8-checkpoint125.safetensors";

// huggingface_hub's cache: models--ORG--NAME/refs/main holds the commit whose snapshot is
// current; otherwise the newest snapshot.
QString snapshotOf(const QDir& repo) {
    QFile ref(repo.filePath(QStringLiteral("refs/main")));
    if (ref.open(QIODevice::ReadOnly)) {
        const QString commit = QString::fromLatin1(ref.readAll()).trimmed();
        if (QFileInfo(repo.filePath("snapshots/" + commit)).isDir())
            return repo.filePath("snapshots/" + commit);
    }
    const QStringList snapshots = QDir(repo.filePath(QStringLiteral("snapshots"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time);
    return snapshots.isEmpty() ? QString() : repo.filePath("snapshots/" + snapshots.first());
}

// The folders that may hold a repository's files, flat.
QStringList candidateFolders(const QString& source) {
    const QDir dir(source);
    QStringList out;
    const QStringList repos = dir.entryList({QStringLiteral("models--*")}, QDir::Dirs, QDir::Name);
    for (const QString& repo : repos)                              // the cache's hub/ folder
        out << snapshotOf(QDir(dir.filePath(repo)));
    if (dir.dirName().startsWith(QLatin1String("models--")))        // one repository of the cache
        out << snapshotOf(dir);
    out << dir.absolutePath();                                      // a snapshot or a plain folder
    for (const char* sub : {"csm", "mimi", "tokenizer"})            // EchoForge's own layout
        if (dir.exists(QLatin1String(sub)))
            out << dir.filePath(QLatin1String(sub));
    out.removeAll(QString());
    return out;
}

bool isCsmConfig(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject o = QJsonDocument::fromJson(f.read(1 << 20)).object();
    return o.value("model_type").toString() == QLatin1String("csm") || o.contains("backbone_flavor") || o.contains("backbone");
}

// CSM weights of a folder: model.safetensors, or an index and its shards.
QStringList csmWeights(const QDir& dir) {
    for (const QString& index : dir.entryList({QStringLiteral("*.safetensors.index.json")}, QDir::Files, QDir::Name)) {
        try {
            QStringList files{dir.filePath(index)};
            for (const QString& shard : checkpointShards(dir.filePath(index)))
                if (QFileInfo::exists(shard))
                    files << shard;
                else
                    files.clear();
            if (!files.isEmpty() && !dir.exists(QStringLiteral("model.safetensors")))
                return files;
        } catch (const Error&) {
        }
    }
    return dir.exists(QStringLiteral("model.safetensors")) ? QStringList{dir.filePath(QStringLiteral("model.safetensors"))} : QStringList{};
}

// Links or copies one file (a cache's snapshot entries are links into blobs/: the target is used).
void place(const QString& from, const QString& to, ImportMode mode, ImportResult& result) {
    const QString target = QFileInfo(from).canonicalFilePath();
    if (target.isEmpty())
        throw Error(QStringLiteral("Cannot import %1: it cannot be read.").arg(from));
    if (QFileInfo(to).canonicalFilePath() == target)
        return result.notes << QStringLiteral("%1 is already in place.").arg(to), void();
    QDir().mkpath(QFileInfo(to).absolutePath());
    const QString part = to + QStringLiteral(".part");
    QFile::remove(part);
    const bool ok = mode == ImportMode::Link ? QFile::link(target, part) : QFile::copy(target, part);
    if (!ok) {
        QFile::remove(part);
        throw Error(QStringLiteral("Cannot %1 %2 to %3: the disk may be full or the folder read-only.")
                        .arg(mode == ImportMode::Link ? QStringLiteral("link") : QStringLiteral("copy"), target, to));
    }
    QFile::remove(to);
    if (!QFile::rename(part, to))
        throw Error(QStringLiteral("Cannot move %1 into place as %2.").arg(part, to));
    result.placed << to;
}

} // namespace

ImportResult ModelStore::import(const QString& source, ImportMode mode) {
    if (!QFileInfo(source).isDir())
        throw Error(QStringLiteral("Cannot import from %1: it is not a folder.").arg(source));
    const QDir root(dir_);
    ImportResult result;
    bool csmDone = false, mimiDone = false, tokenizerDone = false;
    for (const QString& folder : candidateFolders(source)) {
        const QDir dir(folder);
        const QStringList weights = csmWeights(dir);
        if (!csmDone && dir.exists(QStringLiteral("config.json")) && isCsmConfig(dir.filePath("config.json")) && !weights.isEmpty()) {
            // The imported weights replace any other in csm/, which the loader might pick first.
            const QDir csm(root.filePath(QStringLiteral("csm")));
            for (const QString& old : csm.entryList({"*.safetensors", "*.safetensors.index.json"}, QDir::Files | QDir::System))
                if (!weights.contains(dir.filePath(old)) && QFile::remove(csm.filePath(old)))
                    result.notes << QStringLiteral("Removed the earlier %1.").arg(csm.filePath(old));
            place(dir.filePath("config.json"), csm.filePath("config.json"), mode, result);
            for (const QString& w : weights)
                place(w, csm.filePath(QFileInfo(w).fileName()), mode, result);
            csmDone = true;
        }
        const bool mimiFolder = dir.dirName() == QLatin1String("mimi") && dir.exists(QStringLiteral("model.safetensors"));
        if (!mimiDone && (dir.exists(QLatin1String(kPublishedMimi)) || mimiFolder)) {
            const QString name = mimiFolder ? QStringLiteral("model.safetensors") : QString::fromLatin1(kPublishedMimi);
            place(dir.filePath(name), root.filePath("mimi/" + name), mode, result);
            mimiDone = true;
        }
        if (!tokenizerDone && dir.exists(QStringLiteral("tokenizer.json"))) {
            place(dir.filePath("tokenizer.json"), root.filePath(QStringLiteral("tokenizer/tokenizer.json")), mode, result);
            tokenizerDone = true;
        }
    }
    if (result.placed.isEmpty() && result.notes.isEmpty())
        throw Error(QStringLiteral("%1 holds no CSM (config.json with model.safetensors or shards), no Mimi (%2) and no tokenizer.json.")
                        .arg(source, QLatin1String(kPublishedMimi)));
    return result;
}

} // namespace echoforge
