#pragma once
// An audio output for tests: it "plays" by reading from the source on a timer, at real speed
// times `speed`, so position, end of clip and states behave as with a sound card.

#include <QIODevice>
#include <QTimer>
#include <vector>

#include "ui/player/audio_output.h"

class FakeAudioOutput : public echoforge::ui::AudioOutput {
public:
    explicit FakeAudioOutput(bool available = true, double speed = 1.0) : available_(available), speed_(speed) {
        timer_.setInterval(10);
        QObject::connect(&timer_, &QTimer::timeout, this, [this] { pull(); });
    }

    bool isAvailable() const override { return available_; }
    QString unavailableReason() const override { return available_ ? QString() : QStringLiteral("No audio output."); }
    void start(QIODevice* source, int sampleRate) override {
        source_ = source;
        rate_ = sampleRate;
        played_ = 0;
        running_ = true;
        timer_.start();
    }
    void suspend() override { running_ = false; }
    void resume() override { running_ = true; }
    void stop() override {
        timer_.stop();
        source_ = nullptr;
        running_ = false;
    }
    qint64 playedFrames() const override { return played_; }
    void setVolume(double v) override { volume_ = v; }

    // The device goes away while playing: it stops pulling and the output reports the failure,
    // as SystemAudioOutput does when its sink stops with an error.
    void unplug(const QString& sentence) {
        stop();
        Q_EMIT failed(sentence);
    }

    bool running() const { return running_; }
    bool hasSource() const { return source_ != nullptr; }
    double volume() const { return volume_; }

private:
    void pull() {
        if (!running_ || !source_) return;
        const qint64 frames = static_cast<qint64>(rate_ * 0.010 * speed_);
        std::vector<float> buffer(static_cast<std::size_t>(frames));
        const qint64 got = source_->read(reinterpret_cast<char*>(buffer.data()), frames * qint64(sizeof(float)));
        if (got > 0) played_ += got / qint64(sizeof(float));
    }

    bool available_;
    double speed_;
    QTimer timer_;
    QIODevice* source_ = nullptr;
    int rate_ = 24000;
    qint64 played_ = 0;
    bool running_ = false;
    double volume_ = 1.0;
};
