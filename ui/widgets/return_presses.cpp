#include "ui/widgets/return_presses.h"

#include <QAbstractButton>
#include <QApplication>
#include <QKeyEvent>

namespace echoforge::ui {

ReturnPresses::ReturnPresses(QWidget* window) : QObject(window), window_(window) {
    qApp->installEventFilter(this);
}

ReturnPresses::~ReturnPresses() { qApp->removeEventFilter(this); }

bool ReturnPresses::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::KeyPress)
        return false;
    auto* button = qobject_cast<QAbstractButton*>(watched);
    if (!button || button->window() != window_ || !button->isEnabled())
        return false;
    const auto* key = static_cast<QKeyEvent*>(event);
    const bool plain = (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
    if (!plain || (key->key() != Qt::Key_Return && key->key() != Qt::Key_Enter))
        return false;
    button->click();
    return true;
}

} // namespace echoforge::ui
