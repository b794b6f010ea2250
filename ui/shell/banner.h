#pragma once
// An inline message at the top of the studio panel: a sentence, an optional action ("How to
// install…", "Open settings", "Retry") and a close button. Never modal. Kinds change the colour.

#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;

namespace echoforge::ui {

class Banner : public QWidget {
    Q_OBJECT
public:
    enum class Kind { Info, Error };

    explicit Banner(QWidget* parent = nullptr);

    // Shows the banner; an empty `action` hides the action button.
    void showMessage(Kind kind, const QString& sentence, const QString& action = {});
    QString message() const;
    Kind kind() const { return kind_; }

Q_SIGNALS:
    void actionTriggered();
    void dismissed();

protected:
    void paintEvent(QPaintEvent*) override;

private:
    Kind kind_ = Kind::Info;
    QLabel* icon_;
    QLabel* text_;
    QPushButton* action_;
    QToolButton* close_;
};

} // namespace echoforge::ui
