#include "ui/shell/banner.h"

#include <QAccessibleWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QToolButton>

#include "ui/theme/icons.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {
constexpr int kIconSide = 18;

// To a screen reader a banner is an alert whose name is what it says ("Error: …"); showing one
// raises an Alert event, which screen readers speak at once.
class BannerAccessible : public QAccessibleWidget {
public:
    explicit BannerAccessible(Banner* banner) : QAccessibleWidget(banner, QAccessible::AlertMessage) {}
    QString text(QAccessible::Text t) const override {
        if (t != QAccessible::Name) return QAccessibleWidget::text(t);
        const auto* banner = static_cast<const Banner*>(widget());
        return (banner->kind() == Banner::Kind::Error ? Banner::tr("Error: %1") : Banner::tr("Note: %1")).arg(banner->message());
    }
};

QAccessibleInterface* bannerFactory(const QString& className, QObject* object) {
    if (className == QLatin1String(Banner::staticMetaObject.className()) && object && object->isWidgetType())
        return new BannerAccessible(static_cast<Banner*>(object));
    return nullptr;
}

} // namespace

Banner::Banner(QWidget* parent) : QWidget(parent) {
    static const bool installed = [] {
        QAccessible::installFactory(bannerFactory);
        return true;
    }();
    Q_UNUSED(installed);
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(12, 8, 8, 8);
    row->setSpacing(8);
    icon_ = new QLabel(this);
    icon_->setFixedSize(kIconSide, kIconSide);
    text_ = new QLabel(this);
    text_->setWordWrap(true);
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text_->setAccessibleDescription(tr("Notification text"));   // changing text: read as the name
    action_ = new QPushButton(this);
    close_ = new QToolButton(this);
    close_->setIcon(themedIcon("close"));
    close_->setAutoRaise(true);
    close_->setAccessibleName(tr("Dismiss"));
    close_->setToolTip(tr("Dismiss"));
    row->addWidget(icon_, 0, Qt::AlignTop);
    row->addWidget(text_, 1);
    row->addWidget(action_, 0, Qt::AlignVCenter);
    row->addWidget(close_, 0, Qt::AlignTop);
    connect(action_, &QPushButton::clicked, this, &Banner::actionTriggered);
    connect(close_, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT dismissed();
    });
    hide();
}

void Banner::showMessage(Kind kind, const QString& sentence, const QString& action) {
    kind_ = kind;
    text_->setText(sentence);
    action_->setText(action);
    action_->setAccessibleName(action);
    action_->setVisible(!action.isEmpty());
    icon_->setPixmap(themedIcon(kind == Kind::Error ? "warning" : "info").pixmap(kIconSide, kIconSide));
    show();
    update();
    QAccessibleEvent named(this, QAccessible::NameChanged);
    QAccessible::updateAccessibility(&named);
    QAccessibleEvent alert(this, QAccessible::Alert);
    QAccessible::updateAccessibility(&alert);
}

QString Banner::message() const { return text_->text(); }

void Banner::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    const QColor ink = kind_ == Kind::Error ? errorColor(pal) : accentColor(pal);
    QColor fill = ink;
    fill.setAlphaF(0.10);
    p.setPen(QPen(ink, 1));
    p.setBrush(fill);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);
}

} // namespace echoforge::ui
