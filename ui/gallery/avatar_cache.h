#pragma once
// Character avatars (SVG or PNG) rendered once per size and pixel ratio, clipped to a circle.
// Without an avatar file: the initials on a tinted disc.

#include <QHash>
#include <QPixmap>
#include <QString>

namespace echoforge::ui {

class AvatarCache {
public:
    // A round avatar of `side` device-independent pixels for the screen's `dpr`.
    QPixmap avatar(const QString& path, const QString& name, int side, qreal dpr, const QColor& tint);
    void clear() { cache_.clear(); }

private:
    QHash<QString, QPixmap> cache_;
};

} // namespace echoforge::ui
