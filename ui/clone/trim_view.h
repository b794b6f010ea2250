#pragma once
// The clip to clone as a waveform with two handles: drag them to keep only the part between.

#include <vector>

#include <QWidget>

#include "ui/player/waveform_peaks.h"

namespace echoforge::ui {

class TrimView : public QWidget {
    Q_OBJECT
public:
    explicit TrimView(QWidget* parent = nullptr);

    void setClip(const std::vector<float>& samples, int sampleRate);
    qint64 startFrame() const { return start_; }
    qint64 endFrame() const { return end_; }
    qint64 frameCount() const { return peaks_.sampleCount(); }
    int sampleRate() const { return sampleRate_; }
    void setRange(qint64 start, qint64 end);

    QSize sizeHint() const override { return {480, 110}; }

Q_SIGNALS:
    void rangeChanged(qint64 start, qint64 end);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent*) override { dragging_ = Handle::None; }

private:
    enum class Handle { None, Start, End };
    int xOf(qint64 frame) const;
    qint64 frameAt(int x) const;

    WaveformPeaks peaks_;
    int sampleRate_ = 24000;
    qint64 start_ = 0;
    qint64 end_ = 0;
    Handle dragging_ = Handle::None;
};

} // namespace echoforge::ui
