#include "ui/player/waveform_view.h"

#include <algorithm>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

#include "ui/player/player_controller.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {
constexpr double kStreamingMinimumSeconds = 10.0;  // a streaming clip fills at least this span
constexpr double kKeySeekSeconds = 5.0;
constexpr int kRadius = 6;
} // namespace

WaveformView::WaveformView(PlayerController* player, QWidget* parent) : QWidget(parent), player_(player) {
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Waveform"));
    setAccessibleDescription(tr("Click or drag to move the playhead; Left and Right step five seconds."));
    setCursor(Qt::PointingHandCursor);
    connect(player_, &PlayerController::clipChanged, this, [this] { invalidate(); });
    connect(player_, &PlayerController::audioAppended, this, [this] { invalidate(); });
    connect(player_, &PlayerController::positionChanged, this, qOverload<>(&QWidget::update));
}

qint64 WaveformView::visibleFrames() const {
    const qint64 duration = player_->durationFrames();
    if (player_->streaming())
        return std::max<qint64>(duration, static_cast<qint64>(kStreamingMinimumSeconds * player_->sampleRate()));
    return duration;
}

qint64 WaveformView::frameAt(int x) const {
    const int w = std::max(1, width());
    const qint64 frame = static_cast<qint64>(double(std::clamp(x, 0, w)) / w * visibleFrames());
    return std::min(frame, player_->durationFrames());
}

const std::vector<PeakRange>& WaveformView::columns() {
    const long long count = player_->peaks().sampleCount();
    if (cachedFor_ != count || cachedWidth_ != width()) {
        const qint64 visible = visibleFrames();
        const int w = width();
        // Only the columns that hold audio; the rest of a streaming span stays empty.
        const int filled = visible > 0 ? static_cast<int>(double(count) / visible * w) : 0;
        columns_ = player_->peaks().columns(0, count, std::clamp(filled, 0, w));
        cachedFor_ = count;
        cachedWidth_ = w;
    }
    return columns_;
}

void WaveformView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    const QPalette& pal = palette();
    p.setPen(Qt::NoPen);
    p.setBrush(pal.color(QPalette::Base));
    p.drawRoundedRect(rect(), kRadius, kRadius);

    const double mid = height() / 2.0;
    const double halfHeight = height() / 2.0 - 3;
    if (player_->state() == PlayerController::State::Empty) {
        p.setPen(mutedTextColor(pal));
        p.drawText(rect(), Qt::AlignCenter, tr("Generated speech appears here"));
        return;
    }
    const auto& cols = columns();
    const qint64 visible = std::max<qint64>(1, visibleFrames());
    const double playX = double(player_->positionFrames()) / visible * width();
    const QColor played = accentColor(pal);
    QColor rest = mutedTextColor(pal);
    rest.setAlphaF(0.75);

    p.setRenderHint(QPainter::Antialiasing, false);
    for (int x = 0; x < int(cols.size()); ++x) {
        const auto [lo, hi] = cols[static_cast<std::size_t>(x)];
        const int top = static_cast<int>(mid - std::clamp(hi, -1.0f, 1.0f) * halfHeight);
        const int bottom = static_cast<int>(mid - std::clamp(lo, -1.0f, 1.0f) * halfHeight);
        p.setPen(x < playX ? played : rest);
        p.drawLine(x, top, x, std::max(bottom, top + 1));
    }
    // Playhead
    QPen head(played, 2);
    p.setPen(head);
    p.drawLine(QPointF(playX, 2), QPointF(playX, height() - 2));
    if (hasFocus()) {
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(played, 1));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);
    }
}

void WaveformView::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton)
        player_->seekFrames(frameAt(e->position().toPoint().x()));
}

void WaveformView::mouseMoveEvent(QMouseEvent* e) {
    if (e->buttons() & Qt::LeftButton)
        player_->seekFrames(frameAt(e->position().toPoint().x()));
}

void WaveformView::keyPressEvent(QKeyEvent* e) {
    switch (e->key()) {
    case Qt::Key_Left: player_->seekSeconds(player_->positionSeconds() - kKeySeekSeconds); break;
    case Qt::Key_Right: player_->seekSeconds(player_->positionSeconds() + kKeySeekSeconds); break;
    case Qt::Key_Home: player_->seekFrames(0); break;
    case Qt::Key_End: player_->seekFrames(player_->durationFrames()); break;
    default: QWidget::keyPressEvent(e); return;
    }
}

} // namespace echoforge::ui
