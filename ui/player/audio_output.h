#pragma once
// The sound-card side of the player, behind an interface: the player works the same (and is
// tested) on a machine without an audio device, where it says so and export still works.

#include <memory>

#include <QObject>
#include <QString>

class QIODevice;

namespace echoforge::ui {

class AudioOutput : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    virtual bool isAvailable() const = 0;
    // Why there is no output, as a sentence for the player bar; empty when available.
    virtual QString unavailableReason() const = 0;

    // Starts pulling mono 32-bit float samples at `sampleRate` from `source`.
    virtual void start(QIODevice* source, int sampleRate) = 0;
    virtual void suspend() = 0;
    virtual void resume() = 0;
    virtual void stop() = 0;
    // Frames the device has played since start().
    virtual qint64 playedFrames() const = 0;
    virtual void setVolume(double linear) = 0;

Q_SIGNALS:
    // The device went away or failed while playing (unplugged headphones, a Bluetooth speaker
    // out of range, the sound server restarted): the output has stopped itself and says why.
    void failed(const QString& sentence);
};

// QAudioSink on the default output of QMediaDevices; follows the default device as it changes.
// A sink that stops with an error, or whose device leaves the list of outputs, is a failure.
class SystemAudioOutput : public AudioOutput {
    Q_OBJECT
public:
    explicit SystemAudioOutput(QObject* parent = nullptr);
    ~SystemAudioOutput() override;

    bool isAvailable() const override;
    QString unavailableReason() const override;
    void start(QIODevice* source, int sampleRate) override;
    void suspend() override;
    void resume() override;
    void stop() override;
    qint64 playedFrames() const override;
    void setVolume(double linear) override;

Q_SIGNALS:
    void availabilityChanged();

private:
    void fail();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace echoforge::ui
