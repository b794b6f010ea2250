#include "ui/player/player_bar.h"

#include <cmath>

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/player/player_controller.h"
#include "ui/player/waveform_view.h"
#include "ui/theme/icons.h"
#include "ui/theme/theme.h"
#include "ui/widgets/time_format.h"

namespace echoforge::ui {
namespace {
constexpr int kVolumeSteps = 100;
}

PlayerBar::PlayerBar(PlayerController* player, QWidget* parent) : QWidget(parent), player_(player) {
    setAccessibleName(tr("Player"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(12, 8, 12, 8);
    row->setSpacing(8);

    play_ = new QToolButton(this);
    play_->setIconSize({24, 24});
    play_->setAutoRaise(true);
    stop_ = new QToolButton(this);
    stop_->setIcon(themedIcon("stop"));
    stop_->setAutoRaise(true);
    stop_->setToolTip(tr("Stop"));
    stop_->setAccessibleName(tr("Stop"));

    auto* timeColumn = new QVBoxLayout;
    timeColumn->setSpacing(0);
    time_ = new QLabel(this);
    time_->setAccessibleDescription(tr("Position and length"));   // changing text: read as the name
    time_->setMinimumWidth(time_->fontMetrics().horizontalAdvance(QStringLiteral("00:00 / 00:00")) + 4);
    notice_ = new QLabel(this);
    notice_->setAccessibleDescription(tr("Audio output notice"));
    notice_->setWordWrap(false);
    markMuted(notice_);
    timeColumn->addWidget(time_);

    waveform_ = new WaveformView(player_, this);

    mute_ = new QToolButton(this);
    mute_->setIcon(themedIcon("volume"));
    mute_->setAutoRaise(true);
    mute_->setCheckable(true);
    mute_->setToolTip(tr("Mute"));
    mute_->setAccessibleName(tr("Mute"));
    volume_ = new QSlider(Qt::Horizontal, this);
    volume_->setRange(0, kVolumeSteps);
    volume_->setFixedWidth(96);
    volume_->setAccessibleName(tr("Volume"));
    volume_->setValue(static_cast<int>(std::lround(player_->volume() * kVolumeSteps)));

    export_ = new QPushButton(themedIcon("export"), tr("Export…"), this);
    export_->setAccessibleName(tr("Export the clip"));
    export_->setToolTip(tr("Save the clip as WAV or FLAC (Ctrl+E)"));

    row->addWidget(play_);
    row->addWidget(stop_);
    row->addLayout(timeColumn);
    auto* middle = new QVBoxLayout;
    middle->setSpacing(2);
    middle->addWidget(waveform_, 1);
    middle->addWidget(notice_);
    row->addLayout(middle, 1);
    row->addWidget(mute_);
    row->addWidget(volume_);
    row->addWidget(export_);

    connect(play_, &QToolButton::clicked, player_, &PlayerController::togglePlayPause);
    connect(stop_, &QToolButton::clicked, player_, &PlayerController::stop);
    connect(export_, &QPushButton::clicked, this, &PlayerBar::exportRequested);
    connect(volume_, &QSlider::valueChanged, this, [this](int v) {
        if (!mute_->isChecked()) player_->setVolume(double(v) / kVolumeSteps);
    });
    connect(mute_, &QToolButton::toggled, this, [this](bool muted) {
        mute_->setIcon(themedIcon(muted ? "volume-muted" : "volume"));
        player_->setVolume(muted ? 0.0 : double(volume_->value()) / kVolumeSteps);
    });
    connect(player_, &PlayerController::stateChanged, this, &PlayerBar::refresh);
    connect(player_, &PlayerController::clipChanged, this, &PlayerBar::refresh);
    connect(player_, &PlayerController::audioAppended, this, &PlayerBar::refresh);
    connect(player_, &PlayerController::outputAvailabilityChanged, this, &PlayerBar::refresh);
    connect(player_, &PlayerController::playbackFailed, this, &PlayerBar::refresh);
    connect(player_, &PlayerController::positionChanged, this, &PlayerBar::showTime);
    refresh();
}

void PlayerBar::refresh() {
    const bool playing = player_->state() == PlayerController::State::Playing;
    const bool hasClip = player_->state() != PlayerController::State::Empty;
    play_->setIcon(themedIcon(playing ? "pause" : "play"));
    play_->setToolTip(playing ? tr("Pause (Space)") : tr("Play (Space)"));
    play_->setAccessibleName(playing ? tr("Pause") : tr("Play"));
    play_->setEnabled(hasClip && player_->outputAvailable());
    stop_->setEnabled(hasClip && player_->state() != PlayerController::State::Stopped);
    export_->setEnabled(hasClip && !player_->streaming());
    const QString unavailable = player_->outputUnavailableReason();
    const QString reason = unavailable.isEmpty() ? player_->playbackError() : unavailable;
    notice_->setText(reason);
    notice_->setVisible(!reason.isEmpty());
    showTime();
}

void PlayerBar::showTime() {
    time_->setText(QStringLiteral("%1 / %2").arg(formatClock(player_->positionSeconds()),
                                                 formatClock(player_->durationSeconds())));
}

} // namespace echoforge::ui
