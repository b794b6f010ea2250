#include "ui/player/player_controller.h"

#include <algorithm>

#include "ui/player/audio_output.h"
#include "ui/player/clip_source.h"

namespace echoforge::ui {
namespace {
constexpr int kTickMilliseconds = 33;  // ~30 playhead updates per second
}

PlayerController::PlayerController(AudioOutput* output, QObject* parent)
    : QObject(parent), output_(output), samples_(std::make_shared<std::vector<float>>()) {
    ticker_.setInterval(kTickMilliseconds);
    connect(&ticker_, &QTimer::timeout, this, &PlayerController::tick);
    if (auto* system = qobject_cast<SystemAudioOutput*>(output_))
        connect(system, &SystemAudioOutput::availabilityChanged, this, &PlayerController::outputAvailabilityChanged);
    connect(output_, &AudioOutput::failed, this, &PlayerController::outputFailed);
    output_->setVolume(volume_);
}

PlayerController::~PlayerController() {
    output_->stop();
}

bool PlayerController::outputAvailable() const { return output_->isAvailable(); }
QString PlayerController::outputUnavailableReason() const { return output_->unavailableReason(); }

void PlayerController::setClip(std::vector<float> samples, int sampleRate, const QString& title) {
    beginStream(sampleRate, title);
    appendStream(samples);
    finishStream();
}

void PlayerController::beginStream(int sampleRate, const QString& title) {
    stop();
    // A fresh buffer: a ClipSource still held by the output keeps the old one alive.
    samples_ = std::make_shared<std::vector<float>>();
    peaks_.clear();
    sampleRate_ = sampleRate;
    title_ = title;
    streaming_ = true;
    pausedFrame_ = 0;
    setState(State::Stopped);
    Q_EMIT clipChanged();
    Q_EMIT positionChanged(0);
}

void PlayerController::appendStream(std::span<const float> samples) {
    if (samples.empty())
        return;
    samples_->insert(samples_->end(), samples.begin(), samples.end());
    peaks_.append(samples);
    Q_EMIT audioAppended();
}

void PlayerController::finishStream() {
    streaming_ = false;
    Q_EMIT audioAppended();
}

void PlayerController::clear() {
    stop();
    samples_ = std::make_shared<std::vector<float>>();
    peaks_.clear();
    title_.clear();
    streaming_ = false;
    setState(State::Empty);
    Q_EMIT clipChanged();
    Q_EMIT positionChanged(0);
}

qint64 PlayerController::positionFrames() const {
    if (state_ != State::Playing)
        return pausedFrame_;
    return std::min(startFrame_ + output_->playedFrames(), durationFrames());
}

double PlayerController::positionSeconds() const { return double(positionFrames()) / sampleRate_; }
double PlayerController::durationSeconds() const { return double(durationFrames()) / sampleRate_; }

void PlayerController::startOutputAt(qint64 frame) {
    output_->stop();
    source_ = std::make_unique<ClipSource>(samples_, frame);
    startFrame_ = frame;
    output_->start(source_.get(), sampleRate_);
}

void PlayerController::play() {
    if (state_ == State::Empty || state_ == State::Playing || !output_->isAvailable())
        return;
    playbackError_.clear();
    if (state_ == State::Paused && source_) {
        output_->resume();
    } else {
        // Played to the end: start again from the beginning.
        startOutputAt(pausedFrame_ >= durationFrames() && !streaming_ ? 0 : pausedFrame_);
    }
    ticker_.start();
    setState(State::Playing);
}

void PlayerController::pause() {
    if (state_ != State::Playing)
        return;
    pausedFrame_ = positionFrames();
    output_->suspend();
    ticker_.stop();
    setState(State::Paused);
    Q_EMIT positionChanged(pausedFrame_);
}

void PlayerController::togglePlayPause() {
    state_ == State::Playing ? pause() : play();
}

void PlayerController::stop() {
    playbackError_.clear();
    ticker_.stop();
    output_->stop();
    source_.reset();
    pausedFrame_ = 0;
    if (state_ == State::Playing || state_ == State::Paused)
        setState(State::Stopped);
    Q_EMIT positionChanged(0);
}

void PlayerController::seekFrames(qint64 frame) {
    if (state_ == State::Empty)
        return;
    frame = std::clamp<qint64>(frame, 0, durationFrames());
    if (state_ == State::Playing) {
        startOutputAt(frame);
    } else {
        pausedFrame_ = frame;
        // Paused: drop the output so that play() starts again from the new place.
        output_->stop();
        source_.reset();
    }
    Q_EMIT positionChanged(frame);
}

void PlayerController::seekSeconds(double seconds) {
    seekFrames(static_cast<qint64>(seconds * sampleRate_));
}

void PlayerController::setVolume(double linear) {
    volume_ = std::clamp(linear, 0.0, 1.0);
    output_->setVolume(volume_);
    Q_EMIT volumeChanged(volume_);
}

void PlayerController::tick() {
    const qint64 position = positionFrames();
    Q_EMIT positionChanged(position);
    if (!streaming_ && position >= durationFrames()) {
        ticker_.stop();
        output_->stop();
        source_.reset();
        pausedFrame_ = durationFrames();
        setState(State::Stopped);
    }
}

// The output stopped itself: keep the place it reached, so that Play goes on from there.
void PlayerController::outputFailed(const QString& sentence) {
    if (state_ != State::Playing && state_ != State::Paused)
        return;
    pausedFrame_ = state_ == State::Playing ? positionFrames() : pausedFrame_;
    ticker_.stop();
    output_->stop();
    source_.reset();
    playbackError_ = sentence;
    setState(State::Stopped);
    Q_EMIT playbackFailed(sentence);
    Q_EMIT positionChanged(pausedFrame_);
}

void PlayerController::setState(State s) {
    if (s == state_)
        return;
    state_ = s;
    Q_EMIT stateChanged(s);
}

} // namespace echoforge::ui
