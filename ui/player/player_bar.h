#pragma once
// The bar across the bottom of the window: play/pause, stop, time, waveform, volume, export.

#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;
class QPushButton;

namespace echoforge::ui {

class PlayerController;
class WaveformView;

class PlayerBar : public QWidget {
    Q_OBJECT
public:
    explicit PlayerBar(PlayerController* player, QWidget* parent = nullptr);

    QToolButton* playButton() const { return play_; }
    WaveformView* waveform() const { return waveform_; }

Q_SIGNALS:
    void exportRequested();

private:
    void refresh();
    void showTime();

    PlayerController* player_;
    QToolButton* play_;
    QToolButton* stop_;
    QLabel* time_;
    QLabel* notice_;
    WaveformView* waveform_;
    QToolButton* mute_;
    QSlider* volume_;
    QPushButton* export_;
};

} // namespace echoforge::ui
