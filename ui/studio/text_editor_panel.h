#pragma once
// The text to speak, with its character count and estimated duration; a Text | Script switch.
// In script mode each "Name: text" line is a turn of the conversation.

#include <QWidget>

#include "core/tasks/script.h"

class QLabel;
class QPlainTextEdit;
class QTabBar;

namespace echoforge::ui {

class TextEditorPanel : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Text, Script };

    explicit TextEditorPanel(int textLimit, QWidget* parent = nullptr);

    Mode mode() const;
    void setMode(Mode mode);
    QString text() const;
    void setText(const QString& text);
    // The turns in script mode (error set when a line is malformed).
    ScriptParse script() const { return parseScript(text()); }
    QPlainTextEdit* editor() const { return editor_; }
    QString statusText() const;

Q_SIGNALS:
    void changed();

private:
    void refresh();

    int textLimit_;
    QTabBar* modes_;
    QPlainTextEdit* editor_;
    QLabel* count_;
    QLabel* estimate_;
};

} // namespace echoforge::ui
