#pragma once
// The engines a front end (studio, CLI) hands the task engine: eSpeak NG always; CSM-1B when its
// model folder is complete and the settings do not ask for eSpeak NG only. CSM is made lazily on
// the task engine's inference lane, reporting its load progress.

#include <functional>
#include <memory>

#include "core/tasks/task_engine.h"

namespace echoforge {

struct AppPaths;
struct Settings;

EngineSet installedEngines(const AppPaths& paths, const Settings& settings);

// A fresh engine for an id chooseEngine() picked (core/engine/engine_choice.h), loading what it
// needs from `modelsDir`. Throws echoforge::Error when this build cannot make it.
std::unique_ptr<SpeechEngine> createEngine(const QString& engineId, const QString& modelsDir);

// The same with the caches, precision, threads and loudness target from the settings;
// `loadProgress` hears how loading CSM goes (fraction 0..1 and the stage's name).
std::unique_ptr<SpeechEngine> createEngine(const QString& engineId, const AppPaths& paths, const Settings& settings,
                                           const std::function<void(double, const QString&)>& loadProgress = {});

// How CSM would run with these settings, as the studio's status line says it: on the GPU or the
// CPU, with how many threads and which weight format (the CPU's best where set to auto).
struct CsmRunPlan {
    bool onGpu = false;
    int threads = 1;
    QString formatName;   // empty when the setting names no format this machine can run
};
CsmRunPlan plannedCsmRun(const Settings& settings);

} // namespace echoforge
