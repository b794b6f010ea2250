#pragma once
// A character as `echoforge-cli voices --json` and GET /api/voices show it: one JSON object with
// the profile and the engine that would speak it now. Shared so both print the same fields.

#include <QJsonObject>
#include <QString>

#include "core/voices/character.h"

namespace echoforge {

// The engine that would speak `c` when `activeEngine` ("csm" or "espeak") serves auto requests:
// "csm", "espeak", or empty for a cloned voice without CSM.
QString engineFor(const Character& c, const QString& activeEngine);

QJsonObject characterSummaryJson(const Character& c, const QString& engine);

} // namespace echoforge
