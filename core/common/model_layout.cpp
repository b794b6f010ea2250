#include "core/common/model_layout.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace echoforge {
namespace {

constexpr auto kPublishedMimiName = "tokenizer-e351c8d8-checkpoint125.safetensors";

ModelFile probe(const QString& role, const QStringList& candidates, bool optional = false) {
    ModelFile f{role, candidates.first(), false, optional};
    for (const QString& path : candidates) {
        if (QFileInfo(path).isFile()) {
            f.path = path;
            f.found = true;
            break;
        }
    }
    return f;
}

} // namespace

ModelLayout ModelLayout::inspect(const QString& modelsDir) {
    const QDir root(modelsDir);
    ModelLayout l;
    l.root = modelsDir;
    l.csmWeights = probe("csm_weights", {root.filePath("csm/model.safetensors")});
    l.csmConfig = probe("csm_config", {root.filePath("csm/config.json")});
    l.mimiWeights = probe("mimi_weights", {root.filePath("mimi/model.safetensors"),
                                           root.filePath(QString("mimi/") + kPublishedMimiName)});
    l.mimiConfig = probe("mimi_config", {root.filePath("mimi/config.json")}, true);
    l.tokenizer = probe("tokenizer", {root.filePath("tokenizer/tokenizer.json")});
    return l;
}

bool ModelLayout::complete() const {
    for (const ModelFile& f : files())
        if (!f.found && !f.optional)
            return false;
    return true;
}

QString ModelLayout::missingSentence() const {
    QStringList missing;
    for (const ModelFile& f : files())
        if (!f.found && !f.optional)
            missing << f.path;
    if (missing.isEmpty())
        return {};
    return QStringLiteral("The CSM model is not installed: missing %1.").arg(missing.join(", "));
}

QString findTokenizerJson(const QString& modelsDir) {
    const QString inModels = QDir(modelsDir).filePath("tokenizer/tokenizer.json");
    if (QFileInfo(inModels).isFile())
        return inModels;
    if (QCoreApplication::instance()) {
        const QString installed = QDir(QCoreApplication::applicationDirPath()).absoluteFilePath("../share/echoforge/tokenizer/tokenizer.json");
        if (QFileInfo(installed).isFile())
            return QDir::cleanPath(installed);
    }
#ifdef ECHOFORGE_BUILD_DATA_DIR
    const QString inBuild = QDir(ECHOFORGE_BUILD_DATA_DIR).filePath("tokenizer/tokenizer.json");
    if (QFileInfo(inBuild).isFile())
        return inBuild;
#endif
    return {};
}

} // namespace echoforge
