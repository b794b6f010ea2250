#pragma once

#include <QString>

namespace echoforge::ui {

// "m:ss" (or "h:mm:ss") for a duration in seconds.
QString formatClock(double seconds);

} // namespace echoforge::ui

namespace echoforge::ui {

// "21 s" under a minute, else as formatClock ("1:05").
QString formatDuration(double seconds);

} // namespace echoforge::ui
