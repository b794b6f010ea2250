#include "core/engine/engine_choice.h"

#include "core/common/error.h"
#include "core/common/model_layout.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/engine/espeak_engine.h"
#include "core/generation/csm_engine.h"

namespace echoforge {

EngineChoice chooseEngine(const QString& requested, const QString& modelsDir) {
    const QString name = requested.trimmed().toLower();
    if (name == "espeak")
        return {"espeak", "eSpeak NG was asked for."};
    if (name != "csm" && name != "auto" && !name.isEmpty())
        throw Error(ErrorKind::InvalidInput, QStringLiteral("There is no engine '%1'; choose auto, csm or espeak.").arg(requested));
    const ModelLayout layout = ModelLayout::inspect(modelsDir);
    if (layout.complete())
        return {"csm", name == "csm" ? QStringLiteral("CSM-1B was asked for.") : QStringLiteral("CSM-1B is installed.")};
    if (name == "csm")
        throw Error(ErrorKind::NotInstalled, QStringLiteral("%1 Install it (docs/models.md) or use the eSpeak NG engine.").arg(layout.missingSentence()));
    return {"espeak", "CSM-1B is not installed, so eSpeak NG speaks."};
}

std::unique_ptr<SpeechEngine> createEngine(const QString& engineId, const QString& modelsDir) {
    const Settings settings;
    AppPaths paths = AppPaths::resolve(settings);
    paths.modelsDir = modelsDir;
    return createEngine(engineId, paths, settings);
}

std::unique_ptr<SpeechEngine> createEngine(const QString& engineId, const AppPaths& paths, const Settings& settings,
                                           const std::function<void(double, const QString&)>& loadProgress) {
    if (engineId == "espeak")
        return std::make_unique<EspeakEngine>();
    if (engineId == "csm") {
        CsmEngineOptions options;
        options.modelsDir = paths.modelsDir;
        options.cacheDir = paths.cacheDir;
        options.precision = choosePrecision(settings.precision);
        options.threads = settings.threads;
        options.device = chooseDevice(settings.device);
        options.loudnessTargetLufs = settings.loudnessTargetLufs;
        options.audioCacheBytes = std::int64_t(settings.cacheLimitMegabytes) << 20;
        options.anchorsDir = paths.anchorsDir;
        options.lexiconsDir = paths.lexiconsDir;
        options.loadProgress = loadProgress;
        return CsmEngine::load(options);
    }
    throw Error(ErrorKind::NotInstalled, QStringLiteral("This build of EchoForge cannot run the '%1' engine; use --engine espeak.").arg(engineId));
}

} // namespace echoforge
