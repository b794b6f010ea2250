#pragma once
// A parameter row: name, slider, numeric entry (tabular figures) and a reset button. The slider
// and the entry always show the same value.

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QSlider;
class QToolButton;

namespace echoforge::ui {

struct SliderRange {
    double minimum = 0;
    double maximum = 1;
    double defaultValue = 0.5;
    double step = 0.01;
    int decimals = 2;
};

class LabeledSlider : public QWidget {
    Q_OBJECT
public:
    LabeledSlider(const QString& label, const SliderRange& range, QWidget* parent = nullptr);

    double value() const;
    void setValue(double value);
    void setDefaultValue(double value);
    QSlider* slider() const { return slider_; }
    QDoubleSpinBox* entry() const { return entry_; }
    QToolButton* resetButton() const { return reset_; }
    int labelWidth() const;

Q_SIGNALS:
    void valueChanged(double value);

private:
    int toTicks(double value) const;

    SliderRange range_;
    QLabel* label_;
    QSlider* slider_;
    QDoubleSpinBox* entry_;
    QToolButton* reset_;
};

} // namespace echoforge::ui
