#include "ui/clone/level_meter.h"

#include <algorithm>
#include <cmath>

#include <QPainter>

namespace echoforge::ui {
namespace {
constexpr double kFloorDb = -60.0;
constexpr double kDecayPerTick = 0.03;
const QColor kGood(0x2e, 0x9d, 0x4f), kHot(0xe0, 0x9a, 0x1b), kClip(0xd3, 0x2f, 0x2f);

double toMeter(double peak) {
    const double db = peak > 0 ? 20 * std::log10(peak) : kFloorDb;
    return std::clamp((db - kFloorDb) / -kFloorDb, 0.0, 1.0);
}
} // namespace

LevelMeter::LevelMeter(QWidget* parent) : QWidget(parent) {
    setAccessibleName(tr("Input level"));
    setMinimumHeight(10);
    decay_.setInterval(30);
    connect(&decay_, &QTimer::timeout, this, [this] {
        level_ = std::max(0.0, level_ - kDecayPerTick);
        if (level_ == 0) decay_.stop();
        update();
    });
}

void LevelMeter::setPeak(double peak) {
    level_ = std::max(level_, toMeter(peak));
    decay_.start();
    update();
}

void LevelMeter::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    p.setPen(palette().color(QPalette::Mid));
    p.setBrush(palette().color(QPalette::Base));
    p.drawRoundedRect(r, 4, 4);
    const double hot = toMeter(std::pow(10.0, -12 / 20.0)), clip = toMeter(std::pow(10.0, -3 / 20.0));
    p.setPen(Qt::NoPen);
    p.setBrush(level_ >= clip ? kClip : level_ >= hot ? kHot : kGood);
    p.drawRoundedRect(QRectF(r.left() + 1, r.top() + 1, (r.width() - 2) * level_, r.height() - 2), 3, 3);
}

} // namespace echoforge::ui
