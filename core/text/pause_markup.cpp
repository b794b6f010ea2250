#include "core/text/pause_markup.h"

#include <algorithm>
#include <cmath>

#include <QRegularExpression>

namespace echoforge::text {
namespace {

// [pause], [pause 0.8s], [pause 0.8 s], [pause 800ms], [Pause 2 seconds]
const QRegularExpression& pausePattern() {
    static const QRegularExpression re(
        QStringLiteral(R"(\[\s*pause(?:\s+(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|sec|secs|seconds?)?)?\s*\])"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

double pauseSeconds(const QRegularExpressionMatch& m) {
    if (!m.hasCaptured(1))
        return kDefaultPauseSeconds;
    double value = m.captured(1).toDouble();
    if (m.captured(2).compare(QLatin1String("ms"), Qt::CaseInsensitive) == 0)
        value /= 1000.0;
    if (!std::isfinite(value))
        return kDefaultPauseSeconds;
    return std::clamp(value, 0.0, kLongestPauseSeconds);
}

} // namespace

QList<TextSpan> splitAtPauses(const QString& text) {
    QList<TextSpan> spans;
    qsizetype start = 0;
    auto it = pausePattern().globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString before = text.mid(start, m.capturedStart() - start).trimmed();
        // Two marks in a row add up, as a reader would wait both.
        if (before.isEmpty() && !spans.isEmpty())
            spans.back().pauseAfter += pauseSeconds(m);
        else
            spans << TextSpan{before, pauseSeconds(m)};
        start = m.capturedEnd();
    }
    const QString rest = text.mid(start).trimmed();
    if (!rest.isEmpty() || spans.isEmpty())
        spans << TextSpan{spans.isEmpty() ? text : rest, 0.0};
    for (TextSpan& s : spans)
        s.pauseAfter = std::min(s.pauseAfter, kLongestPauseSeconds);
    return spans;
}

QString withoutPauses(const QString& text) {
    QString out = text;
    out.replace(pausePattern(), QStringLiteral(" "));
    return out.simplified();
}

} // namespace echoforge::text
