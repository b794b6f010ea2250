#pragma once
// A horizontal input level meter: green up to -12 dBFS, amber to -3, red above; falls back
// smoothly so speech reads as a steady bar.

#include <QTimer>
#include <QWidget>

namespace echoforge::ui {

class LevelMeter : public QWidget {
    Q_OBJECT
public:
    explicit LevelMeter(QWidget* parent = nullptr);

    QSize sizeHint() const override { return {240, 14}; }
    double level() const { return level_; }

public Q_SLOTS:
    void setPeak(double peak);   // linear 0..1

protected:
    void paintEvent(QPaintEvent*) override;

private:
    double level_ = 0;   // displayed, 0..1 on a dB scale
    QTimer decay_;
};

} // namespace echoforge::ui
