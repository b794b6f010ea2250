#include "ui/clone/clone_source_page.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "ui/clone/clone_draft.h"
#include "ui/clone/level_meter.h"
#include "ui/clone/mic_recorder.h"
#include "ui/theme/icons.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {
constexpr int kCountdownSeconds = 3;
constexpr double kMaxRecordSeconds = 30.0;

struct Loaded {
    AudioBuffer audio;
    QString error;
};
} // namespace

CloneSourcePage::CloneSourcePage(CloneDraft* draft, QWidget* parent)
    : QWizardPage(parent), draft_(draft), recorder_(new MicRecorder(this)) {
    setTitle(tr("A recording of the voice"));
    setSubTitle(tr("3 to 30 seconds of one person speaking clearly, with little background noise."));
    auto* column = new QVBoxLayout(this);

    import_ = new QPushButton(themedIcon("export"), tr("Import a recording…"), this);
    import_->setAccessibleName(tr("Import a recording"));
    record_ = new QPushButton(themedIcon("microphone"), tr("Record"), this);
    record_->setAccessibleName(tr("Record from the microphone"));
    record_->setCheckable(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(import_);
    buttons->addWidget(record_);
    buttons->addStretch();
    column->addLayout(buttons);

    meter_ = new LevelMeter(this);
    guide_ = new QLabel(tr("Speak for 10 to 20 seconds; the recording stops by itself at 30."), this);
    guide_->setWordWrap(true);
    markMuted(guide_);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setAccessibleDescription(tr("Recording status"));   // changing text: read as the name
    column->addWidget(meter_);
    column->addWidget(guide_);
    column->addWidget(status_);
    column->addStretch();

    if (!recorder_->isAvailable()) {
        record_->setEnabled(false);
        record_->setToolTip(recorder_->unavailableReason());
        showStatus(recorder_->unavailableReason());
    }
    clock_.setInterval(1000);
    connect(&clock_, &QTimer::timeout, this, &CloneSourcePage::tick);
    connect(import_, &QPushButton::clicked, this, &CloneSourcePage::chooseFile);
    connect(record_, &QPushButton::clicked, this, &CloneSourcePage::toggleRecording);
    connect(recorder_, &MicRecorder::levelChanged, meter_, &LevelMeter::setPeak);
    connect(recorder_, &MicRecorder::failed, this, [this](const QString& s) {
        record_->setChecked(false);
        showStatus(s, true);
    });
}

bool CloneSourcePage::isComplete() const { return draft_->hasClip() && !recorder_->recording(); }

void CloneSourcePage::showStatus(const QString& text, bool error) {
    status_->setText(error ? QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()) : text.toHtmlEscaped());
}

void CloneSourcePage::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import a recording"), QStandardPaths::writableLocation(QStandardPaths::MusicLocation),
        tr("Audio (*.wav *.flac *.ogg *.mp3);;All files (*)"));
    if (!path.isEmpty()) loadFile(path);
}

void CloneSourcePage::loadFile(const QString& path) {
    showStatus(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    auto* watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, path] {
        Loaded loaded = watcher->result();
        watcher->deleteLater();
        if (!loaded.error.isEmpty()) {
            showStatus(loaded.error, true);
            return;
        }
        const double seconds = loaded.audio.durationSeconds();   // before its samples move out
        draft_->samples = std::move(loaded.audio.samples);
        draft_->sampleRate = loaded.audio.sampleRate;
        draft_->sourceName = QFileInfo(path).fileName();
        showStatus(tr("%1: %2 s").arg(draft_->sourceName).arg(seconds, 0, 'f', 1));
        Q_EMIT completeChanged();
        Q_EMIT clipLoaded();
    });
    watcher->setFuture(QtConcurrent::run([path] {
        try {
            return Loaded{readAudio(path, ChannelMode::MixToMono), {}};
        } catch (const Error& e) {
            return Loaded{{}, e.sentence()};
        }
    }));
}

void CloneSourcePage::toggleRecording() {
    if (recorder_->recording() || countdown_ > 0) {
        clock_.stop();
        countdown_ = 0;
        recorder_->stop();
        record_->setChecked(false);
        record_->setText(tr("Record again"));
        draft_->samples = recorder_->samples();
        draft_->sampleRate = recorder_->sampleRate();
        draft_->sourceName.clear();
        showStatus(tr("Recorded %1 s.").arg(recorder_->seconds(), 0, 'f', 1));
        Q_EMIT completeChanged();
        if (draft_->hasClip()) Q_EMIT clipLoaded();
        return;
    }
    countdown_ = kCountdownSeconds;
    record_->setText(tr("Stop"));
    showStatus(tr("Recording starts in %1…").arg(countdown_));
    clock_.start();
}

void CloneSourcePage::tick() {
    if (countdown_ > 0) {
        if (--countdown_ > 0) {
            showStatus(tr("Recording starts in %1…").arg(countdown_));
            return;
        }
        recorder_->start();
        showStatus(tr("Recording… 0 s"));
        Q_EMIT completeChanged();
        return;
    }
    const double s = recorder_->seconds();
    showStatus(s < 3 ? tr("Recording… %1 s (keep going)").arg(int(s)) : tr("Recording… %1 s").arg(int(s)));
    if (s >= kMaxRecordSeconds) toggleRecording();
}

} // namespace echoforge::ui
