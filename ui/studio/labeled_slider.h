#pragma once
// A parameter row: name, slider, numeric entry (tabular figures) and a reset button. The slider
// and the entry always show the same value.

#include <QWidget>

#include "ui/widgets/value_slider.h"

class QDoubleSpinBox;
class QLabel;
class QToolButton;

namespace echoforge::ui {

class LabeledSlider : public QWidget {
    Q_OBJECT
public:
    LabeledSlider(const QString& label, const SliderRange& range, QWidget* parent = nullptr);

    double value() const;
    void setValue(double value);
    void setDefaultValue(double value);
    ValueSlider* slider() const { return slider_; }
    QDoubleSpinBox* entry() const { return entry_; }
    QToolButton* resetButton() const { return reset_; }
    int labelWidth() const;

Q_SIGNALS:
    void valueChanged(double value);

private:
    SliderRange range_;
    QLabel* label_;
    ValueSlider* slider_;
    QDoubleSpinBox* entry_;
    QToolButton* reset_;
};

} // namespace echoforge::ui
