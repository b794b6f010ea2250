#include "ui/clone/mic_recorder.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSource>
#include <QMediaDevices>

namespace echoforge::ui {
namespace {
constexpr int kRecordRate = 24000;   // what the clone is stored at; the device resamples
}

MicRecorder::MicRecorder(QObject* parent) : QObject(parent) {}

MicRecorder::~MicRecorder() { stop(); }

bool MicRecorder::isAvailable() const { return !QMediaDevices::defaultAudioInput().isNull(); }

QString MicRecorder::unavailableReason() const {
    return isAvailable() ? QString() : tr("There is no microphone on this machine; import a recording instead.");
}

void MicRecorder::start() {
    stop();
    const QAudioDevice input = QMediaDevices::defaultAudioInput();
    if (input.isNull()) {
        Q_EMIT failed(unavailableReason());
        return;
    }
    QAudioFormat format;
    format.setSampleRate(kRecordRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Float);
    if (!input.isFormatSupported(format))
        format.setSampleFormat(QAudioFormat::Int16);
    int16_ = format.sampleFormat() == QAudioFormat::Int16;
    sampleBytes_ = int16_ ? 2 : 4;
    sampleRate_ = format.sampleRate();
    samples_.clear();
    source_ = new QAudioSource(input, format, this);
    device_ = source_->start();
    if (!device_) {
        delete source_;
        source_ = nullptr;
        Q_EMIT failed(tr("The microphone could not be opened; check that no other program holds it."));
        return;
    }
    connect(device_, &QIODevice::readyRead, this, &MicRecorder::readAvailable);
    Q_EMIT recordingChanged(true);
}

void MicRecorder::stop() {
    if (!source_)
        return;
    readAvailable();
    source_->stop();
    source_->deleteLater();
    source_ = nullptr;
    device_ = nullptr;
    Q_EMIT recordingChanged(false);
}

void MicRecorder::readAvailable() {
    if (!device_)
        return;
    const QByteArray bytes = device_->readAll();
    const qsizetype count = bytes.size() / sampleBytes_;
    float peak = 0;
    for (qsizetype i = 0; i < count; ++i) {
        float s;
        if (int16_) {
            qint16 v;
            std::memcpy(&v, bytes.constData() + i * 2, 2);
            s = float(v) / 32768.0f;
        } else {
            std::memcpy(&s, bytes.constData() + i * 4, 4);
        }
        samples_.push_back(s);
        peak = std::max(peak, std::abs(s));
    }
    if (count > 0)
        Q_EMIT levelChanged(peak);
}

} // namespace echoforge::ui
