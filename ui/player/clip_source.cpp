#include "ui/player/clip_source.h"

#include <algorithm>
#include <cstring>

namespace echoforge::ui {

ClipSource::ClipSource(std::shared_ptr<const std::vector<float>> samples, qint64 startFrame, QObject* parent)
    : QIODevice(parent), samples_(std::move(samples)), startFrame_(startFrame), frame_(startFrame) {
    open(QIODevice::ReadOnly);
}

qint64 ClipSource::bytesAvailable() const {
    const qint64 frames = std::max<qint64>(0, static_cast<qint64>(samples_->size()) - frame_);
    return frames * qint64(sizeof(float)) + QIODevice::bytesAvailable();
}

qint64 ClipSource::readData(char* data, qint64 maxSize) {
    const qint64 available = std::max<qint64>(0, static_cast<qint64>(samples_->size()) - frame_);
    const qint64 frames = std::min(available, maxSize / qint64(sizeof(float)));
    if (frames > 0) {
        std::memcpy(data, samples_->data() + frame_, static_cast<std::size_t>(frames) * sizeof(float));
        frame_ += frames;
    }
    return frames * qint64(sizeof(float));
}

} // namespace echoforge::ui
