#include "ui/player/audio_output.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QMediaDevices>

#include "core/common/logging.h"

namespace echoforge::ui {

struct SystemAudioOutput::Impl {
    QMediaDevices devices;
    QAudioSink* sink = nullptr;
    QAudioDevice device;   // the one the sink plays on
    int sampleRate = 0;
    double volume = 1.0;
};

SystemAudioOutput::SystemAudioOutput(QObject* parent) : AudioOutput(parent), impl_(std::make_unique<Impl>()) {
    connect(&impl_->devices, &QMediaDevices::audioOutputsChanged, this, [this] {
        // Some backends keep a sink "active" on a device that is gone and only stop pulling.
        if (impl_->sink && !QMediaDevices::audioOutputs().contains(impl_->device))
            fail();
        Q_EMIT availabilityChanged();
    });
}

SystemAudioOutput::~SystemAudioOutput() {
    stop();
}

bool SystemAudioOutput::isAvailable() const {
    return !QMediaDevices::defaultAudioOutput().isNull();
}

QString SystemAudioOutput::unavailableReason() const {
    return isAvailable() ? QString() : tr("No audio output on this machine: playback is off, export still works.");
}

void SystemAudioOutput::start(QIODevice* source, int sampleRate) {
    stop();
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull())
        return;
    QAudioFormat format;
    format.setSampleRate(sampleRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Float);
    if (!device.isFormatSupported(format))
        logger(LogArea::Audio)->warn("the output {} may not accept 24 kHz mono float; trying anyway",
                                     device.description());
    impl_->sink = new QAudioSink(device, format, this);
    impl_->sink->setVolume(impl_->volume);
    impl_->device = device;
    impl_->sampleRate = sampleRate;
    QAudioSink* sink = impl_->sink;
    connect(sink, &QAudioSink::stateChanged, this, [this, sink](QAudio::State state) {
        // stop() disconnects first, so a stop seen here is the device's, not ours.
        if (state == QAudio::StoppedState && sink->error() != QAudio::NoError)
            fail();
    });
    impl_->sink->start(source);
}

void SystemAudioOutput::fail() {
    const QString name = impl_->device.description();
    logger(LogArea::Audio)->warn("the audio output {} stopped while playing", name.toStdString());
    stop();
    Q_EMIT failed(tr("The audio output %1 stopped while playing (it was disconnected or failed); "
                     "press Play to go on from there.").arg(name));
}

void SystemAudioOutput::suspend() {
    if (impl_->sink) impl_->sink->suspend();
}

void SystemAudioOutput::resume() {
    if (impl_->sink) impl_->sink->resume();
}

void SystemAudioOutput::stop() {
    if (!impl_->sink)
        return;
    impl_->sink->disconnect(this);
    impl_->sink->stop();
    impl_->sink->deleteLater();
    impl_->sink = nullptr;
}

qint64 SystemAudioOutput::playedFrames() const {
    if (!impl_->sink)
        return 0;
    return impl_->sink->processedUSecs() * impl_->sampleRate / 1000000;
}

void SystemAudioOutput::setVolume(double linear) {
    impl_->volume = linear;
    if (impl_->sink) impl_->sink->setVolume(linear);
}

} // namespace echoforge::ui
