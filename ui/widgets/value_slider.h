#pragma once
// A slider over real values: ticks 0..n stand for minimum + tick * step. QSlider knows only
// its ticks, and a screen reader read those (temperature 0.90 as "80"); this slider's
// accessible interface reports the real value, its range and its step.

#include <QSlider>

namespace echoforge::ui {

struct SliderRange {
    double minimum = 0;
    double maximum = 1;
    double defaultValue = 0.5;
    double step = 0.01;
    int decimals = 2;
};

class ValueSlider : public QSlider {
    Q_OBJECT
public:
    // Ticks from 0 to (maximum - minimum) / step.
    ValueSlider(const SliderRange& range, Qt::Orientation orientation, QWidget* parent = nullptr);

    const SliderRange& range() const { return range_; }
    double realValue() const { return toReal(value()); }
    double toReal(int ticks) const { return range_.minimum + ticks * range_.step; }
    int toTicks(double real) const;
    QString valueText() const;   // the real value as the entry beside it shows it: "0.90"

private:
    SliderRange range_;
};

} // namespace echoforge::ui
