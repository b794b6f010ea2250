#pragma once
// Which engine speaks a request: "csm" when asked for and installed, "espeak" when asked for, and
// for "auto" CSM when its model folder is complete (core/common/model_layout.h), else eSpeak NG.

#include <functional>
#include <memory>

#include <QString>

#include "core/engine/speech_engine.h"

namespace echoforge {

struct AppPaths;
struct Settings;

struct EngineChoice {
    QString engineId;    // "csm" | "espeak"
    QString reason;      // why, as a sentence ("CSM-1B is not installed, so eSpeak NG speaks.")
};

// `requested` is auto | csm | espeak. Throws echoforge::Error for an unknown name or for "csm" when
// the model folder `modelsDir` lacks files (the sentence names them).
EngineChoice chooseEngine(const QString& requested, const QString& modelsDir);

// A fresh engine for an id chosen above, loading what it needs from `modelsDir`. Throws
// echoforge::Error when this build cannot make it.
std::unique_ptr<SpeechEngine> createEngine(const QString& engineId, const QString& modelsDir);

// The same with the caches, precision, threads and loudness target from the settings;
// `loadProgress` hears how loading CSM goes (fraction 0..1 and the stage's name).
std::unique_ptr<SpeechEngine> createEngine(const QString& engineId, const AppPaths& paths, const Settings& settings,
                                           const std::function<void(double, const QString&)>& loadProgress = {});

} // namespace echoforge
