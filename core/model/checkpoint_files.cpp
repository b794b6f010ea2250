#include "core/model/checkpoint_files.h"

#include <map>
#include <set>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace echoforge {

namespace {

using nlohmann::json;

// weight_map of an index: tensor name → shard file name.
std::map<std::string, QString> readWeightMap(const QString& indexPath) {
    QFile file(indexPath);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read the checkpoint index %1: %2.").arg(indexPath, file.errorString()));
    const QByteArray text = file.readAll();
    const json root = json::parse(text.constData(), text.constData() + text.size(), nullptr, false);
    if (root.is_discarded() || !root.is_object() || !root.contains("weight_map") || !root["weight_map"].is_object())
        throw Error(QStringLiteral("The checkpoint index %1 is not usable: it must be a JSON object with a \"weight_map\" object.").arg(indexPath));
    std::map<std::string, QString> map;
    for (const auto& [tensor, shard] : root["weight_map"].items()) {
        if (!shard.is_string())
            throw Error(QStringLiteral("The checkpoint index %1 is not usable: the shard of \"%2\" is not a file name.")
                            .arg(indexPath, QString::fromStdString(tensor)));
        const QString name = QString::fromStdString(shard.get<std::string>());
        if (name.isEmpty() || name.contains('/') || name.contains('\\') || name == QLatin1String("..") || name == QLatin1String("."))
            throw Error(QStringLiteral("The checkpoint index %1 is not usable: the shard \"%2\" is not a file beside the index.")
                            .arg(indexPath, name));
        map.emplace(tensor, name);
    }
    if (map.empty())
        throw Error(QStringLiteral("The checkpoint index %1 lists no tensors.").arg(indexPath));
    return map;
}

// The shard `name` in the index's folder. Not QDir::filePath: it takes a name starting with ':'
// for a Qt resource path and returns it alone, so an index naming ":model.safetensors" would
// have read a file compiled into the program instead of the one beside it (fuzz_shard_index).
QString besideIndex(const QDir& dir, const QString& name) { return dir.path() + QLatin1Char('/') + name; }

} // namespace

bool isCheckpointIndex(const QString& path) { return path.endsWith(QLatin1String(".safetensors.index.json")); }

QStringList checkpointShards(const QString& indexPath) {
    std::set<QString> names;
    for (const auto& [tensor, shard] : readWeightMap(indexPath))
        names.insert(shard);
    const QDir dir = QFileInfo(indexPath).dir();
    QStringList paths;
    for (const QString& name : names)
        paths << besideIndex(dir, name);
    return paths;
}

std::vector<std::shared_ptr<const SafetensorsFile>> openCheckpoint(const QString& path, SafetensorsFile::Read read) {
    if (!isCheckpointIndex(path))
        return {SafetensorsFile::open(path, read)};
    const auto weightMap = readWeightMap(path);
    const QDir dir = QFileInfo(path).dir();
    std::vector<std::shared_ptr<const SafetensorsFile>> files;
    std::map<QString, const SafetensorsFile*> byName;
    std::map<std::string, QString> seen;   // tensor → the shard that holds it
    for (const QString& shard : checkpointShards(path)) {
        files.push_back(SafetensorsFile::open(shard, read));
        byName[QFileInfo(shard).fileName()] = files.back().get();
        for (const auto& entry : files.back()->entries()) {
            const auto [it, inserted] = seen.emplace(entry.name, shard);
            if (!inserted)
                throw Error(QStringLiteral("The checkpoint %1 is not usable: the tensor \"%2\" is in both %3 and %4.")
                                .arg(path, QString::fromStdString(entry.name), it->second, shard));
        }
    }
    for (const auto& [tensor, shard] : weightMap)
        if (!byName.at(shard)->find(tensor))
            throw Error(QStringLiteral("The checkpoint %1 is not usable: its index puts \"%2\" in %3, which does not hold it.")
                            .arg(path, QString::fromStdString(tensor), besideIndex(dir, shard)));
    return files;
}

CsmWeightFormat detectCsmWeightFormat(const std::vector<std::shared_ptr<const SafetensorsFile>>& files) {
    for (const auto& file : files)
        for (const auto& entry : file->entries())
            if (entry.name.rfind("backbone_model.", 0) == 0 || entry.name.rfind("depth_decoder.", 0) == 0)
                return CsmWeightFormat::Transformers;
    return CsmWeightFormat::Original;
}

QString csmWeightFormatName(CsmWeightFormat format) {
    return format == CsmWeightFormat::Transformers ? QStringLiteral("transformers") : QStringLiteral("original");
}

} // namespace echoforge
