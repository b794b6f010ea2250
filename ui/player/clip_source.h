#pragma once
// A sequential QIODevice reading mono float samples from a shared clip, from a start frame. The
// clip may grow while it is read (streaming): reading past the end returns nothing yet, and the
// output asks again.

#include <memory>
#include <vector>

#include <QIODevice>

namespace echoforge::ui {

class ClipSource : public QIODevice {
    Q_OBJECT
public:
    ClipSource(std::shared_ptr<const std::vector<float>> samples, qint64 startFrame, QObject* parent = nullptr);

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;
    qint64 framesRead() const { return frame_ - startFrame_; }

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    std::shared_ptr<const std::vector<float>> samples_;
    qint64 startFrame_;
    qint64 frame_;
};

} // namespace echoforge::ui
