#pragma once
// Pauses written in a text: "[pause]" or "[pause 0.8s]" (also "[pause 800ms]") anywhere in a
// text or a script line put silence there. Any other bracket is ordinary text, spoken as written.

#include <QList>
#include <QString>

namespace echoforge::text {

inline constexpr double kDefaultPauseSeconds = 0.5;   // "[pause]"
inline constexpr double kLongestPauseSeconds = 10.0;  // longer asks are cut to this

struct TextSpan {
    QString text;              // what to say (may be empty: a pause at the start)
    double pauseAfter = 0.0;   // seconds of silence after it
};

// The text cut at its pause marks. Without one it is one span with no pause. Never throws:
// a malformed mark ("[pause x]") is text.
QList<TextSpan> splitAtPauses(const QString& text);

// The text without its pause marks (for checks and previews that do not make audio).
QString withoutPauses(const QString& text);

} // namespace echoforge::text
