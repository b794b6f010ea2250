#pragma once
// Draws the player's clip as min/max peaks: the played part in the accent colour, the rest muted,
// a playhead; click or drag to seek. Reads everything from the PlayerController.

#include <vector>

#include <QWidget>

#include "ui/player/waveform_peaks.h"

namespace echoforge::ui {

class PlayerController;

class WaveformView : public QWidget {
    Q_OBJECT
public:
    explicit WaveformView(PlayerController* player, QWidget* parent = nullptr);

    QSize sizeHint() const override { return {400, 48}; }
    QSize minimumSizeHint() const override { return {120, 32}; }
    // The frame under x (widget coordinates), for seeking.
    qint64 frameAt(int x) const;
    // Samples shown across the width: the clip, or more while it streams so it grows from the left.
    qint64 visibleFrames() const;

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void resizeEvent(QResizeEvent*) override { invalidate(); }

private:
    void invalidate() { cachedFor_ = -1; update(); }
    const std::vector<PeakRange>& columns();

    PlayerController* player_;
    std::vector<PeakRange> columns_;
    long long cachedFor_ = -1;   // sample count the columns were computed for
    int cachedWidth_ = 0;
};

} // namespace echoforge::ui
