#pragma once
// The engines a front end (studio, CLI) hands the task engine: eSpeak NG always; CSM-1B when its
// model folder is complete and the settings do not ask for eSpeak NG only. CSM is made lazily on
// the task engine's inference lane, reporting its load progress.

#include "core/tasks/task_engine.h"

namespace echoforge {

struct AppPaths;
struct Settings;

EngineSet installedEngines(const AppPaths& paths, const Settings& settings);

} // namespace echoforge
