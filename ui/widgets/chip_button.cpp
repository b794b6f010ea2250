#include "ui/widgets/chip_button.h"

#include <QPainter>
#include <QStyle>
#include <QStyleOptionFocusRect>

#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {
constexpr int kPaddingX = 10;
constexpr int kPaddingY = 4;
} // namespace

ChipButton::ChipButton(const QString& text, QWidget* parent) : QAbstractButton(parent) {
    setText(text);
    setCheckable(true);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::PointingHandCursor);
    setAccessibleName(text);
    setAttribute(Qt::WA_Hover);
}

QSize ChipButton::sizeHint() const {
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance(text()) + 2 * kPaddingX, fm.height() + 2 * kPaddingY};
}

void ChipButton::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const qreal radius = r.height() / 2;
    const bool hovered = underMouse();
    if (isChecked()) {
        p.setPen(Qt::NoPen);
        p.setBrush(accentColor(pal));
    } else {
        p.setPen(QPen(hovered ? accentColor(pal) : pal.color(QPalette::Mid), 1));
        p.setBrush(pal.color(QPalette::Base));
    }
    p.drawRoundedRect(r, radius, radius);
    if (hasFocus()) {
        p.setPen(QPen(accentColor(pal), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r.adjusted(1, 1, -1, -1), radius - 1, radius - 1);
    }
    p.setPen(isChecked() ? pal.color(QPalette::HighlightedText)
                         : pal.color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::ButtonText));
    p.drawText(rect(), Qt::AlignCenter, text());
}

} // namespace echoforge::ui
