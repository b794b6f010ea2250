#include "ui/gallery/avatar_cache.h"

#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QPainterPath>
#include <QSvgRenderer>

namespace echoforge::ui {
namespace {

QString initials(const QString& name) {
    QString out;
    for (const QString& word : name.split(' ', Qt::SkipEmptyParts)) {
        out += word.front().toUpper();
        if (out.size() == 2) break;
    }
    return out;
}

} // namespace

QPixmap AvatarCache::avatar(const QString& path, const QString& name, int side, qreal dpr, const QColor& tint) {
    const QString key = QStringLiteral("%1|%2|%3|%4|%5").arg(path, name).arg(side).arg(dpr).arg(tint.name());
    if (auto it = cache_.constFind(key); it != cache_.constEnd())
        return *it;

    const int px = qRound(side * dpr);
    QPixmap pm(px, px);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath circle;
    circle.addEllipse(QRectF(0, 0, px, px));
    p.setClipPath(circle);

    bool drawn = false;
    if (!path.isEmpty() && QFileInfo::exists(path)) {
        if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
            QSvgRenderer svg(path);
            if (svg.isValid()) {
                svg.render(&p, QRectF(0, 0, px, px));
                drawn = true;
            }
        } else {
            QImageReader reader(path);
            reader.setScaledSize(QSize(px, px));
            const QImage image = reader.read();
            if (!image.isNull()) {
                p.drawImage(QRect(0, 0, px, px), image);
                drawn = true;
            }
        }
    }
    if (!drawn) {
        QColor disc = tint;
        disc.setAlphaF(0.25);
        p.fillRect(QRect(0, 0, px, px), disc);
        QFont f;
        f.setPixelSize(px * 2 / 5);
        f.setWeight(QFont::DemiBold);
        p.setFont(f);
        p.setPen(tint);
        p.drawText(QRect(0, 0, px, px), Qt::AlignCenter, initials(name));
    }
    p.end();
    pm.setDevicePixelRatio(dpr);
    cache_.insert(key, pm);
    return pm;
}

} // namespace echoforge::ui
