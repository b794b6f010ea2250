#pragma once
// A small rounded label that toggles: the chips of the gender and style filters. Checked chips
// are filled with the accent colour.

#include <QAbstractButton>

namespace echoforge::ui {

class ChipButton : public QAbstractButton {
    Q_OBJECT
public:
    explicit ChipButton(const QString& text, QWidget* parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent*) override;
    void enterEvent(QEnterEvent*) override { update(); }
    void leaveEvent(QEvent*) override { update(); }
};

} // namespace echoforge::ui
