#include "ui/widgets/time_format.h"

#include <algorithm>
#include <cmath>

namespace echoforge::ui {

QString formatClock(double seconds) {
    const int total = static_cast<int>(std::floor(std::max(0.0, seconds)));
    const int h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QChar('0')).arg(s, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QChar('0'));
}

} // namespace echoforge::ui

namespace echoforge::ui {

QString formatDuration(double seconds) {
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(static_cast<int>(std::lround(std::max(0.0, seconds))));
    return formatClock(seconds);
}

} // namespace echoforge::ui
