#pragma once
// Which engine speaks a request: "csm" when asked for and installed, "espeak" when asked for, and
// for "auto" CSM when its model folder is complete (core/common/model_layout.h), else eSpeak NG.
// Making the chosen engine is wiring above the engines (core/wiring/installed_engines.h): this
// folder holds the interface and must not know the CSM engine.

#include <QString>

namespace echoforge {

struct EngineChoice {
    QString engineId;    // "csm" | "espeak"
    QString reason;      // why, as a sentence ("CSM-1B is not installed, so eSpeak NG speaks.")
};

// `requested` is auto | csm | espeak. Throws echoforge::Error for an unknown name or for "csm" when
// the model folder `modelsDir` lacks files (the sentence names them).
EngineChoice chooseEngine(const QString& requested, const QString& modelsDir);

} // namespace echoforge
