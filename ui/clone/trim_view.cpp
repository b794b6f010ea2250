#include "ui/clone/trim_view.h"

#include <algorithm>

#include <QMouseEvent>
#include <QPainter>

#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {
constexpr int kHandleGrab = 8;     // pixels either side of a handle that grab it
constexpr int kHandleWidth = 4;
constexpr double kMinimumKeptSeconds = 0.5;
} // namespace

TrimView::TrimView(QWidget* parent) : QWidget(parent) {
    setAccessibleName(tr("Trim the clip"));
    setAccessibleDescription(tr("Drag the handles to choose the part of the clip to keep."));
    setMinimumHeight(80);
    setMouseTracking(true);
}

void TrimView::setClip(const std::vector<float>& samples, int sampleRate) {
    peaks_.clear();
    peaks_.append(samples);
    sampleRate_ = sampleRate;
    setRange(0, frameCount());
}

void TrimView::setRange(qint64 start, qint64 end) {
    const qint64 minimum = std::min<qint64>(frameCount(), static_cast<qint64>(kMinimumKeptSeconds * sampleRate_));
    end = std::clamp<qint64>(end, minimum, frameCount());
    start = std::clamp<qint64>(start, 0, end - minimum);
    if (start == start_ && end == end_) return;
    start_ = start;
    end_ = end;
    update();
    Q_EMIT rangeChanged(start_, end_);
}

int TrimView::xOf(qint64 frame) const {
    return frameCount() > 0 ? static_cast<int>(double(frame) / frameCount() * width()) : 0;
}

qint64 TrimView::frameAt(int x) const {
    return static_cast<qint64>(double(std::clamp(x, 0, width())) / std::max(1, width()) * frameCount());
}

void TrimView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QColor accent = accentColor(pal);
    const QColor muted = mutedTextColor(pal);
    const auto cols = peaks_.columns(0, frameCount(), width());
    const double mid = height() / 2.0, half = height() / 2.0 - 4;
    const int a = xOf(start_), b = xOf(end_);
    for (int x = 0; x < int(cols.size()); ++x) {
        const auto [lo, hi] = cols[std::size_t(x)];
        p.setPen(x >= a && x <= b ? accent : muted);
        p.drawLine(x, int(mid - std::clamp(hi, -1.0f, 1.0f) * half), x, int(mid - std::clamp(lo, -1.0f, 1.0f) * half));
    }
    // The parts cut away are veiled.
    QColor veil = pal.color(QPalette::Window);
    veil.setAlphaF(0.6);
    p.fillRect(QRect(0, 0, a, height()), veil);
    p.fillRect(QRect(b, 0, width() - b, height()), veil);
    p.setPen(Qt::NoPen);
    p.setBrush(accent);
    p.drawRect(a - kHandleWidth / 2, 0, kHandleWidth, height());
    p.drawRect(b - kHandleWidth / 2, 0, kHandleWidth, height());
}

void TrimView::mousePressEvent(QMouseEvent* e) {
    const int x = e->position().toPoint().x();
    if (std::abs(x - xOf(start_)) <= kHandleGrab) dragging_ = Handle::Start;
    else if (std::abs(x - xOf(end_)) <= kHandleGrab) dragging_ = Handle::End;
    else dragging_ = std::abs(x - xOf(start_)) < std::abs(x - xOf(end_)) ? Handle::Start : Handle::End;
    mouseMoveEvent(e);
}

void TrimView::mouseMoveEvent(QMouseEvent* e) {
    const int x = e->position().toPoint().x();
    const bool nearHandle = std::abs(x - xOf(start_)) <= kHandleGrab || std::abs(x - xOf(end_)) <= kHandleGrab;
    setCursor(nearHandle || dragging_ != Handle::None ? Qt::SizeHorCursor : Qt::ArrowCursor);
    if (!(e->buttons() & Qt::LeftButton)) return;
    if (dragging_ == Handle::Start) setRange(frameAt(x), end_);
    else if (dragging_ == Handle::End) setRange(start_, frameAt(x));
}

} // namespace echoforge::ui
