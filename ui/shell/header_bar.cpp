#include "ui/shell/header_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QToolButton>

#include "ui/theme/icons.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {

QToolButton* headerButton(const QString& icon, const QString& text, const QString& name, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setIcon(themedIcon(icon));
    b->setText(text);
    b->setToolButtonStyle(text.isEmpty() ? Qt::ToolButtonIconOnly : Qt::ToolButtonTextBesideIcon);
    b->setAutoRaise(true);
    b->setAccessibleName(name);
    b->setToolTip(name);
    return b;
}

} // namespace

HeaderBar::HeaderBar(QWidget* parent) : QWidget(parent) {
    setAccessibleName(tr("Header"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(16, 8, 12, 8);
    row->setSpacing(8);

    auto* title = new QLabel(tr("EchoForge"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() + 3);
    f.setWeight(QFont::Bold);
    title->setFont(f);
    title->setAccessibleName(tr("EchoForge"));

    engine_ = new QLabel(this);
    engine_->setAccessibleDescription(tr("Active engine"));   // the name is the text: which engine speaks
    engine_->setContentsMargins(10, 3, 10, 3);
    engine_->setAutoFillBackground(false);

    // Made in the order they sit, left to right: that is the Tab order.
    clone_ = headerButton("microphone", tr("Clone a voice…"), tr("Clone a voice"), this);
    queue_ = headerButton("queue", tr("Queue"), tr("Show the queue"), this);
    queue_->setCheckable(true);
    history_ = headerButton("history", tr("History"), tr("Show the history"), this);
    history_->setCheckable(true);
    settings_ = headerButton("settings", {}, tr("Settings"), this);
    help_ = headerButton("help", {}, tr("Help"), this);
    // The menu opens on a click, Space or Enter like any button (InstantPopup).
    menu_ = headerButton("menu", {}, tr("More actions"), this);
    menu_->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(menu_);
    menu->setAccessibleName(tr("More actions"));
    menu->addAction(tr("Diagnostics…"), this, &HeaderBar::diagnosticsRequested);
    menu->addAction(tr("About EchoForge"), this, &HeaderBar::aboutRequested);
    menu->addSeparator();
    menu->addAction(tr("Back up your data…"), this, &HeaderBar::backupRequested);
    menu->addAction(tr("Restore from a backup…"), this, &HeaderBar::restoreRequested);
    menu_->setMenu(menu);

    row->addWidget(title);
    row->addSpacing(8);
    row->addWidget(engine_);
    row->addStretch();
    row->addWidget(clone_);
    row->addWidget(queue_);
    row->addWidget(history_);
    row->addWidget(settings_);
    row->addWidget(help_);
    row->addWidget(menu_);

    connect(queue_, &QToolButton::toggled, this, &HeaderBar::queueToggled);
    connect(history_, &QToolButton::toggled, this, &HeaderBar::historyToggled);
    connect(clone_, &QToolButton::clicked, this, &HeaderBar::cloneRequested);
    connect(settings_, &QToolButton::clicked, this, &HeaderBar::settingsRequested);
    connect(help_, &QToolButton::clicked, this, &HeaderBar::helpRequested);
    setQueueCount(0);
}

void HeaderBar::setEngine(const QString& text, bool fallback) {
    engine_->setText(text);
    engine_->setProperty("fallback", fallback);
    engine_->setToolTip(fallback ? tr("CSM-1B is not in use: eSpeak NG speaks") : tr("CSM-1B speaks"));
    update();
}

QString HeaderBar::engineText() const { return engine_->text(); }

void HeaderBar::setQueueCount(int count) {
    queue_->setText(count > 0 ? tr("Queue %1").arg(count) : tr("Queue"));
    queue_->setAccessibleDescription(count == 1 ? tr("1 job waiting or running") : tr("%1 jobs waiting or running").arg(count));
}

// The engine chip: a rounded outline, in the accent colour when CSM speaks.
void HeaderBar::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(rect().bottomLeft(), rect().bottomRight());
    const bool fallback = engine_->property("fallback").toBool();
    const QColor ink = fallback ? mutedTextColor(pal) : accentColor(pal);
    QColor fill = ink;
    fill.setAlphaF(0.12);
    const QRectF chip = QRectF(engine_->geometry()).adjusted(0.5, 0.5, -0.5, -0.5);
    p.setPen(QPen(ink, 1));
    p.setBrush(fill);
    p.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2);
}

} // namespace echoforge::ui
