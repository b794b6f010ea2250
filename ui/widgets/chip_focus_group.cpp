#include "ui/widgets/chip_focus_group.h"

#include <QAbstractButton>
#include <QKeyEvent>
#include <QScrollArea>

namespace echoforge::ui {

ChipFocusGroup::ChipFocusGroup(QObject* parent) : QObject(parent) {}

void ChipFocusGroup::setChips(const QList<QAbstractButton*>& chips) {
    for (const QPointer<QAbstractButton>& chip : chips_)
        if (chip) chip->removeEventFilter(this);
    chips_.clear();
    for (QAbstractButton* chip : chips) {
        chips_ << chip;
        chip->installEventFilter(this);
    }
    makeTabStop(tabStop_ && chips.contains(tabStop_.data()) ? tabStop_.data() : chips.value(0));
}

// The roving Tab stop: only one chip takes focus by Tab; all still take it by click or arrows.
void ChipFocusGroup::makeTabStop(QAbstractButton* stop) {
    tabStop_ = stop;
    for (const QPointer<QAbstractButton>& chip : chips_)
        if (chip) chip->setFocusPolicy(chip == stop ? Qt::StrongFocus : Qt::ClickFocus);
}

bool ChipFocusGroup::eventFilter(QObject* watched, QEvent* event) {
    auto* chip = qobject_cast<QAbstractButton*>(watched);
    if (!chip)
        return false;
    if (event->type() == QEvent::FocusIn) {
        makeTabStop(chip);
        return false;
    }
    if (event->type() != QEvent::KeyPress)
        return false;
    const auto* key = static_cast<QKeyEvent*>(event);
    if (key->modifiers() & ~Qt::KeypadModifier)
        return false;
    QList<QAbstractButton*> live;
    for (const QPointer<QAbstractButton>& c : chips_)
        if (c && c->isVisible() && c->isEnabled()) live << c.data();
    const qsizetype at = live.indexOf(chip);
    if (at < 0 || live.isEmpty())
        return false;
    qsizetype next = at;
    switch (key->key()) {
    case Qt::Key_Left:
    case Qt::Key_Up: next = (at + live.size() - 1) % live.size(); break;
    case Qt::Key_Right:
    case Qt::Key_Down: next = (at + 1) % live.size(); break;
    case Qt::Key_Home: next = 0; break;
    case Qt::Key_End: next = live.size() - 1; break;
    default: return false;
    }
    QAbstractButton* target = live[next];
    target->setFocus(Qt::OtherFocusReason);   // its FocusIn makes it the Tab stop
    // A chip on a scrolled-away line comes into view, as Tab would bring it.
    for (QWidget* w = target->parentWidget(); w; w = w->parentWidget())
        if (auto* scroll = qobject_cast<QScrollArea*>(w)) {
            scroll->ensureWidgetVisible(target, 0, 2);
            break;
        }
    return true;
}

} // namespace echoforge::ui
