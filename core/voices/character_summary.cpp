#include "core/voices/character_summary.h"

#include <QJsonArray>

namespace echoforge {

QString engineFor(const Character& c, const QString& activeEngine) {
    if (activeEngine == "csm")
        return activeEngine;
    return c.espeak.voice.isEmpty() ? QString() : QStringLiteral("espeak");
}

QJsonObject characterSummaryJson(const Character& c, const QString& engine) {
    return {{"id", c.id},
            {"name", c.name},
            {"gender", c.gender},
            {"age_range", c.ageRange},
            {"language", c.language},
            {"accent", c.accent},
            {"styles", QJsonArray::fromStringList(c.styles)},
            {"description", c.description},
            {"sample_text", c.sampleText},
            {"avatar", c.avatarPath},
            {"built_in", c.builtIn},
            {"cloned", !c.segments.isEmpty()},
            {"engine", engine}};
}

} // namespace echoforge
