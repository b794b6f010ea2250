#include "ui/theme/icons.h"

#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QSvgRenderer>

// resources.qrc is compiled into the static echoforge_ui library, whose resources must be
// registered by hand (Q_INIT_RESOURCE works only outside a namespace).
static void registerUiResources() { Q_INIT_RESOURCE(resources); }

namespace echoforge::ui {
namespace {

class TintedSvgIconEngine : public QIconEngine {
public:
    explicit TintedSvgIconEngine(QString path) : path_(std::move(path)) {}

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        QPixmap pm = render(rect.size() * dpr, mode);
        pm.setDevicePixelRatio(dpr);
        painter->drawPixmap(rect, pm);
    }

    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State) override { return render(size, mode); }

    QIconEngine* clone() const override { return new TintedSvgIconEngine(path_); }

    QString key() const override { return QStringLiteral("echoforge-tinted-svg"); }

private:
    QPixmap render(const QSize& size, QIcon::Mode mode) const {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        QSvgRenderer(path_).render(&p, QRectF(QPointF(0, 0), QSizeF(size)));
        // Keep the SVG's alpha, replace its colour.
        p.setCompositionMode(QPainter::CompositionMode_SourceIn);
        p.fillRect(pm.rect(), tint(mode));
        return pm;
    }

    static QColor tint(QIcon::Mode mode) {
        const QPalette palette = QGuiApplication::palette();
        switch (mode) {
        case QIcon::Disabled: return palette.color(QPalette::Disabled, QPalette::ButtonText);
        case QIcon::Selected: return palette.color(QPalette::HighlightedText);
        default: return palette.color(QPalette::ButtonText);
        }
    }

    QString path_;
};

} // namespace

QIcon themedIcon(const QString& name) {
    static const bool registered = (registerUiResources(), true);
    Q_UNUSED(registered);
    return QIcon(new TintedSvgIconEngine(QStringLiteral(":/echoforge/icons/%1.svg").arg(name)));
}

} // namespace echoforge::ui
