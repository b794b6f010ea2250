#include "core/tasks/installed_engines.h"

#include "core/common/model_layout.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/engine/engine_choice.h"

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

} // namespace echoforge
