#pragma once
// Return and Enter press the focused button of one window, as Space does. Qt gives Return only
// to a dialog's default button; outside dialogs a keyboard user would otherwise have to know
// that Space is the key. Checkable buttons (chips, Random) toggle, like a click.

#include <QObject>

class QWidget;

namespace echoforge::ui {

class ReturnPresses : public QObject {
    Q_OBJECT
public:
    // Watches the key presses of `window`'s widgets (through the application's event filter,
    // so buttons made later count too) until it is destroyed; `window` is its parent.
    explicit ReturnPresses(QWidget* window);
    ~ReturnPresses() override;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* window_;
};

} // namespace echoforge::ui
