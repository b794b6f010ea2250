#include "core/wiring/diagnostics.h"

#include <espeak-ng/speak_lib.h>

#include <QFileInfo>
#include <QJsonArray>
#include <QSysInfo>

#include "core/common/cpu_features.h"
#include "core/common/model_layout.h"
#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/hub/model_store.h"
#include "core/model/checkpoint_files.h"
#include "core/generation/model_runtime.h"
#include "core/model/torch_runtime.h"
#include "core/wiring/model_runtime_loader.h"

namespace echoforge {
namespace {

QString espeakVersion() {
    const char* dataPath = nullptr;
    const char* version = espeak_Info(&dataPath);
    return version ? QString::fromLatin1(version) : QStringLiteral("unknown");
}

QJsonObject cpuObject(const TorchRuntimeInfo& torch) {
    const CpuFeatures& cpu = CpuFeatures::detect();
    return QJsonObject{
        {"model", cpu.model},
        {"cores", cpu.logicalCores},
        {"torch_threads", torch.threads},
        {"simd", cpu.simdLevel()},
        {"flags", QJsonArray::fromStringList(cpu.flagNames())},
        {"arch", QSysInfo::currentCpuArchitecture()},
    };
}

// What a model file is: CSM weights name their naming and shards (docs/models.md).
QString fileFormat(const ModelFile& f) {
    if (!f.path.endsWith(QLatin1String(".safetensors")) && !isCheckpointIndex(f.path))
        return QStringLiteral("json");
    if (f.role != QLatin1String("csm_weights"))
        return QStringLiteral("safetensors");
    try {
        const auto files = openCheckpoint(f.path, SafetensorsFile::Read::HeaderOnly);   // reads and checks headers only
        const QString naming = csmWeightFormatName(detectCsmWeightFormat(files));
        return files.size() > 1 ? QStringLiteral("safetensors, %1 names, %2 shards").arg(naming).arg(files.size())
                                : QStringLiteral("safetensors, %1 names").arg(naming);
    } catch (const std::exception& e) {
        return QStringLiteral("unreadable: %1").arg(QString::fromUtf8(e.what()));
    }
}

QJsonObject modelsObject(const AppPaths& paths) {
    const ModelLayout layout = ModelLayout::inspect(paths.modelsDir);
    QJsonObject models{{"dir", paths.modelsDir}, {"complete", layout.complete()}};
    const ModelStore store(paths.modelsDir);
    for (const ModelFile& f : layout.files()) {
        QJsonObject file{{"status", f.found ? "found" : "missing"}, {"path", f.path}, {"optional", f.optional}};
        if (f.found) {
            file.insert("bytes", double(QFileInfo(f.path).size()));
            file.insert("format", fileFormat(f));
            file.insert("checksum", store.checksumState(f.path));
        }
        models.insert(f.role, file);
    }
    const QString tokenizer = findTokenizerJson(paths.modelsDir);
    models.insert("tokenizer_in_use", tokenizer.isEmpty() ? QJsonValue() : QJsonValue(tokenizer));
    return models;
}

} // namespace

QJsonObject diagnosticReport(const AppPaths& paths, const Settings& settings) {
    // The report names libtorch, so it opens the model library; a library that cannot open is
    // reported, not thrown: the report is what a user sends when something is wrong.
    TorchRuntimeInfo torch;
    const QString libraryPath = torchLibraryPath();
    QJsonValue modelLibrary = libraryPath;
    QJsonValue torchVersion;
    try {
        torch = modelRuntime().runtimeInfo();
        torchVersion = torch.version;
    } catch (const Error& e) {
        modelLibrary = QJsonObject{{"path", libraryPath}, {"error", QString::fromStdString(e.what())}};
    }
    const MemoryInfo memory = MemoryInfo::read();
    return QJsonObject{
        {"version", QStringLiteral(ECHOFORGE_VERSION)},
        {"qt", QString::fromLatin1(qVersion())},
        {"libtorch", torchVersion},
        {"model_library", modelLibrary},
        {"qcoro", QStringLiteral(ECHOFORGE_QCORO_VERSION)},
        {"spdlog", QStringLiteral("%1.%2.%3").arg(SPDLOG_VER_MAJOR).arg(SPDLOG_VER_MINOR).arg(SPDLOG_VER_PATCH)},
        {"espeak_ng", espeakVersion()},
        {"os", QSysInfo::prettyProductName()},
        {"cpu", cpuObject(torch)},
        {"blas", torch.blas},
        {"memory", QJsonObject{{"total_bytes", memory.totalBytes}, {"available_bytes", memory.availableBytes}}},
        {"cuda", QJsonObject{{"available", torch.cudaAvailable}, {"devices", torch.cudaDevices}}},
        {"settings", QJsonObject{{"engine", settings.engine}, {"device", settings.device},
                                 {"threads", settings.threads}, {"precision", settings.precision}}},
        {"paths", QJsonObject{{"data", paths.dataDir}, {"voices", paths.voicesDir},
                              {"history", paths.historyDir}, {"cache", paths.cacheDir},
                              {"models", paths.modelsDir}, {"logs", paths.logsDir},
                              {"settings", paths.settingsFile}}},
        {"models", modelsObject(paths)},
    };
}

} // namespace echoforge
