#pragma once
// Records mono float audio from the default microphone (QAudioSource) and reports its level as
// it goes, for the cloning wizard's meter. Says so when there is no microphone.

#include <memory>
#include <vector>

#include <QObject>
#include <QString>

class QAudioSource;
class QIODevice;

namespace echoforge::ui {

class MicRecorder : public QObject {
    Q_OBJECT
public:
    explicit MicRecorder(QObject* parent = nullptr);
    ~MicRecorder() override;

    bool isAvailable() const;
    QString unavailableReason() const;
    bool recording() const { return source_ != nullptr; }
    int sampleRate() const { return sampleRate_; }
    double seconds() const { return sampleRate_ > 0 ? double(samples_.size()) / sampleRate_ : 0.0; }
    const std::vector<float>& samples() const { return samples_; }

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    void levelChanged(double peak);   // 0..1, the loudest sample of the last block
    void recordingChanged(bool recording);
    void failed(const QString& sentence);

private:
    void readAvailable();

    QAudioSource* source_ = nullptr;
    QIODevice* device_ = nullptr;
    std::vector<float> samples_;
    int sampleRate_ = 0;
    int sampleBytes_ = 4;
    bool int16_ = false;
};

} // namespace echoforge::ui
