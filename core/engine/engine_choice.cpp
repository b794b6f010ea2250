#include "core/engine/engine_choice.h"

#include "core/common/error.h"
#include "core/common/model_layout.h"

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

} // namespace echoforge
