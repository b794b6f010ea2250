#pragma once
// The player's state, apart from any widget: the clip (which may still be growing while a job
// streams), its peaks, the transport state and the position. Widgets only show it and forward
// clicks; tests drive it directly.

#include <memory>
#include <span>
#include <vector>

#include <QObject>
#include <QString>
#include <QTimer>

#include "ui/player/waveform_peaks.h"

namespace echoforge::ui {

class AudioOutput;
class ClipSource;

class PlayerController : public QObject {
    Q_OBJECT
public:
    enum class State { Empty, Stopped, Playing, Paused };
    Q_ENUM(State)

    // `output` is borrowed and must outlive the controller.
    explicit PlayerController(AudioOutput* output, QObject* parent = nullptr);
    ~PlayerController() override;

    // A whole clip (replaces what was there).
    void setClip(std::vector<float> samples, int sampleRate, const QString& title = {});
    // A clip that arrives in pieces: begin, append as chunks come, finish.
    void beginStream(int sampleRate, const QString& title = {});
    void appendStream(std::span<const float> samples);
    void finishStream();
    void clear();

    State state() const { return state_; }
    bool streaming() const { return streaming_; }
    bool outputAvailable() const;
    QString outputUnavailableReason() const;
    // Why playback last stopped on its own (the device went away); empty once play() is asked.
    QString playbackError() const { return playbackError_; }
    const std::vector<float>& samples() const { return *samples_; }
    int sampleRate() const { return sampleRate_; }
    QString title() const { return title_; }
    const WaveformPeaks& peaks() const { return peaks_; }

    qint64 positionFrames() const;
    qint64 durationFrames() const { return static_cast<qint64>(samples_->size()); }
    double positionSeconds() const;
    double durationSeconds() const;
    double volume() const { return volume_; }

public Q_SLOTS:
    void play();
    void pause();
    void togglePlayPause();
    void stop();
    void seekFrames(qint64 frame);
    void seekSeconds(double seconds);
    void setVolume(double linear);

Q_SIGNALS:
    void clipChanged();      // a new clip (or cleared)
    void audioAppended();    // the clip grew
    void stateChanged(echoforge::ui::PlayerController::State state);
    void positionChanged(qint64 frame);
    void volumeChanged(double linear);
    void outputAvailabilityChanged();
    void playbackFailed(const QString& sentence);   // the output failed; the player stopped

private:
    void setState(State s);
    void startOutputAt(qint64 frame);
    void tick();
    void outputFailed(const QString& sentence);

    AudioOutput* output_;
    std::shared_ptr<std::vector<float>> samples_;
    std::unique_ptr<ClipSource> source_;
    WaveformPeaks peaks_;
    int sampleRate_ = 24000;
    QString title_;
    QString playbackError_;
    State state_ = State::Empty;
    bool streaming_ = false;
    qint64 startFrame_ = 0;      // where the output started (seek target)
    qint64 pausedFrame_ = 0;     // position while stopped or paused
    double volume_ = 0.8;
    QTimer ticker_;
};

} // namespace echoforge::ui
