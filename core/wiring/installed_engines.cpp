#include "core/wiring/installed_engines.h"

#include <algorithm>

#include <QThread>

#include "core/common/model_layout.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/engine/espeak_engine.h"
#include "core/generation/csm_engine.h"
#include "core/generation/model_runtime.h"
#include "core/model/precision.h"
#include "core/model/torch_runtime.h"
#include "core/wiring/model_runtime_loader.h"

namespace echoforge {

EngineSet installedEngines(const AppPaths& paths, const Settings& settings) {
    EngineSet engines;
    engines.makeFallback = [paths, settings](const LoadProgress&) {
        return createEngine(QStringLiteral("espeak"), paths, settings);
    };
    if (settings.engine != QLatin1String("espeak") && ModelLayout::inspect(paths.modelsDir).complete()) {
        engines.makeCsm = [paths, settings](const LoadProgress& progress) {
            return createEngine(QStringLiteral("csm"), paths, settings, [progress](double fraction, const QString&) {
                if (progress)
                    progress(fraction);
            });
        };
    }
    return engines;
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
        ModelRuntime& runtime = modelRuntime();   // opens the torch library, on the inference lane
        CsmEngineOptions options;
        options.modelsDir = paths.modelsDir;
        options.cacheDir = paths.cacheDir;
        options.threads = settings.threads;
        options.device = runtime.chooseDevice(settings.device);
        options.precision = choosePrecision(settings.precision, options.device == ComputeDevice::Cuda);
        options.loudnessTargetLufs = settings.loudnessTargetLufs;
        options.audioCacheBytes = std::int64_t(settings.cacheLimitMegabytes) << 20;
        // More than one stream speaks the pieces with the voice alone as context; out-of-range
        // values in a hand-edited file come to the nearest that works.
        options.pieceStreams = std::clamp(settings.pieceStreams, 1, 8);
        options.pieceContext = options.pieceStreams > 1 ? CsmEngineOptions::PieceContext::VoiceOnly
                                                        : CsmEngineOptions::PieceContext::PreviousPiece;
        options.jobStreams = settings.jobStreams;   // clamped (and 1 on a GPU) by the engine
        options.anchorsDir = paths.anchorsDir;
        options.lexiconsDir = paths.lexiconsDir;
        options.loadProgress = loadProgress;
        return runtime.loadCsmEngine(options);
    }
    throw Error(ErrorKind::NotInstalled, QStringLiteral("This build of EchoForge cannot run the '%1' engine; use --engine espeak.").arg(engineId));
}

CsmRunPlan plannedCsmRun(const Settings& settings) {
    CsmRunPlan plan;
    // Only a runtime already open can say whether "auto" finds a GPU: the status line must not
    // open the torch library itself (the studio's first paint would wait for libtorch). Until CSM
    // has loaded, "auto" reads as the CPU, as it is on every CPU-only libtorch.
    if (const ModelRuntime* runtime = loadedModelRuntime()) {
        try {
            plan.onGpu = runtime->chooseDevice(settings.device) == ComputeDevice::Cuda;
        } catch (const std::exception&) {
            // a device CSM could not use fails its load, and eSpeak NG speaks on the CPU
        }
    } else {
        plan.onGpu = settings.device == QLatin1String("cuda");
    }
    plan.threads = settings.threads > 0 ? settings.threads : QThread::idealThreadCount();
    try {
        plan.formatName = precisionName(choosePrecision(settings.precision, plan.onGpu));
    } catch (const std::exception&) {
    }
    return plan;
}

} // namespace echoforge
