#include "core/engine/engine_choice.h"

#include "core/common/error.h"
#include "core/common/model_layout.h"
#include "core/engine/espeak_engine.h"

namespace echoforge {

EngineChoice chooseEngine(const QString& requested, const QString& modelsDir) {
    const QString name = requested.trimmed().toLower();
    if (name == "espeak")
        return {"espeak", "eSpeak NG was asked for."};
    if (name != "csm" && name != "auto" && !name.isEmpty())
        throw Error(QStringLiteral("There is no engine '%1'; choose auto, csm or espeak.").arg(requested));
    const ModelLayout layout = ModelLayout::inspect(modelsDir);
    if (layout.complete())
        return {"csm", name == "csm" ? QStringLiteral("CSM-1B was asked for.") : QStringLiteral("CSM-1B is installed.")};
    if (name == "csm")
        throw Error(QStringLiteral("%1 Install it (docs/models.md) or use the eSpeak NG engine.").arg(layout.missingSentence()));
    return {"espeak", "CSM-1B is not installed, so eSpeak NG speaks."};
}

std::unique_ptr<SpeechEngine> createEngine(const QString& engineId, const QString& modelsDir) {
    Q_UNUSED(modelsDir);
    if (engineId == "espeak")
        return std::make_unique<EspeakEngine>();
    throw Error(QStringLiteral("This build of EchoForge cannot run the '%1' engine; use --engine espeak.").arg(engineId));
}

} // namespace echoforge
