#include "ui/voice/audition_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "core/tasks/audition.h"
#include "core/tasks/task_engine.h"
#include "core/text/text_normalizer.h"
#include "core/voices/voice_anchor.h"
#include "ui/player/player_controller.h"

namespace echoforge::ui {

AuditionDialog::AuditionDialog(TaskEngine* tasks, PlayerController* player, Character character, QString anchorsDir,
                               GenerationParams params, QWidget* parent)
    : QDialog(parent), tasks_(tasks), player_(player), character_(std::move(character)),
      anchorsDir_(std::move(anchorsDir)), params_(params), takes_(new QStandardItemModel(this)) {
    setWindowTitle(tr("Audition %1").arg(character_.name));
    setAccessibleName(windowTitle());
    auto* layout = new QVBoxLayout(this);

    auto* intro = new QLabel(tr("CSM gives %1 a new voice on every take until one is kept. Listen to these takes of "
                                "the sample line and keep the voice you like; every later take starts from it.")
                                 .arg(character_.name), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    list_ = new QListView(this);
    list_->setModel(takes_);
    list_->setAccessibleName(tr("Audition takes"));
    list_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    list_->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(list_, 1);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setAccessibleName(tr("Audition status"));
    layout->addWidget(status_);

    auto* row = new QHBoxLayout;
    play_ = new QPushButton(tr("&Play"), this);
    play_->setAccessibleName(tr("Play the selected take"));
    keep_ = new QPushButton(tr("&Keep this voice"), this);
    keep_->setAccessibleName(tr("Keep the selected take as the voice"));
    count_ = new QSpinBox(this);
    count_->setRange(1, kMostAuditionTakes);
    count_->setValue(kDefaultAuditionCount);
    count_->setAccessibleName(tr("Number of takes"));
    count_->setToolTip(tr("How many takes a round makes"));
    again_ = new QPushButton(tr("&Audition again"), this);
    again_->setAccessibleName(tr("Audition again with new seeds"));
    reset_ = new QPushButton(tr("&Reset voice"), this);
    reset_->setAccessibleName(tr("Forget the kept voice"));
    reset_->setToolTip(tr("Forget the kept voice; the next CSM take sets one from the sample line"));
    for (QWidget* w : std::initializer_list<QWidget*>{play_, keep_})
        row->addWidget(w);
    row->addStretch();
    row->addWidget(count_);
    row->addWidget(again_);
    row->addWidget(reset_);
    layout->addLayout(row);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    resize(520, 360);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(play_, &QPushButton::clicked, this, [this] {
        const int r = selectedRow();
        if (r < 0)
            return;
        try {
            const AudioBuffer take = readAudio(takes_->item(r)->data(PathRole).toString());
            player_->setClip(take.samples, take.sampleRate, takes_->item(r)->text());
            player_->play();
        } catch (const Error& e) {
            showStatus(e.sentence());
        }
    });
    connect(list_, &QListView::activated, play_, &QPushButton::click);
    connect(keep_, &QPushButton::clicked, this, [this] { keepTake(selectedRow()); });
    connect(again_, &QPushButton::clicked, this, [this] { audition(count_->value()); });
    connect(reset_, &QPushButton::clicked, this, [this] {
        try {
            AnchorStore(anchorsDir_).reset(character_.id);
            showStatus(tr("The kept voice is forgotten; the next CSM take of %1 sets one from the sample line.").arg(character_.name));
            Q_EMIT voiceChanged(character_.id);
        } catch (const Error& e) {
            showStatus(e.sentence());
        }
        updateButtons();
    });
    connect(list_->selectionModel(), &QItemSelectionModel::currentChanged, this, &AuditionDialog::updateButtons);
    connect(tasks_, &TaskEngine::finished, this, &AuditionDialog::onFinished);
    connect(tasks_, &TaskEngine::failed, this, &AuditionDialog::onEnded);
    connect(tasks_, &TaskEngine::cancelled, this, [this](JobId id) { onEnded(id, tr("cancelled")); });
    connect(this, &QDialog::finished, this, &AuditionDialog::cancelRunning);
    updateButtons();
}

AuditionDialog::~AuditionDialog() {
    cancelRunning();
}

void AuditionDialog::audition(int count) {
    try {
        const QList<std::uint64_t> seeds = auditionSeeds(character_.id, count, round_);
        for (int i = 0; i < seeds.size(); ++i) {
            const int number = takes_->rowCount() + 1;
            const QString path = folder_.filePath(QStringLiteral("take-%1.wav").arg(number));
            const JobId id = tasks_->submit(auditionRequest(character_, seeds[i], params_), auditionJobOptions(path));
            auto* item = new QStandardItem(tr("Take %1 (seed %2): making…").arg(number).arg(seeds[i]));
            item->setData(QVariant::fromValue<qulonglong>(seeds[i]), SeedRole);
            item->setData(QVariant::fromValue<qint64>(id), JobRole);
            item->setData(path, PathRole);
            item->setData(false, ReadyRole);
            takes_->appendRow(item);
        }
        ++round_;
        showStatus(tr("Making %n take(s) with CSM…", nullptr, count));
    } catch (const Error& e) {
        showStatus(e.sentence());   // CSM not installed, queue full, a character with its own clip
    }
    updateButtons();
}

int AuditionDialog::rowOf(JobId id) const {
    for (int r = 0; r < takes_->rowCount(); ++r)
        if (takes_->item(r)->data(JobRole).toLongLong() == id)
            return r;
    return -1;
}

int AuditionDialog::selectedRow() const {
    const QModelIndex current = list_->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void AuditionDialog::onFinished(JobId id, const JobResult& result) {
    const int r = rowOf(id);
    if (r < 0)
        return;
    QStandardItem* item = takes_->item(r);
    item->setText(tr("Take %1 (seed %2): %3 s").arg(r + 1).arg(item->data(SeedRole).toULongLong())
                      .arg(result.durationSeconds(), 0, 'f', 1));
    item->setData(true, ReadyRole);
    item->setData(-1, JobRole);
    if (selectedRow() < 0)
        list_->setCurrentIndex(item->index());
    showStatus(tr("Select a take and play it (Enter), then keep the voice you like."));
    updateButtons();
}

void AuditionDialog::onEnded(JobId id, const QString& why) {
    const int r = rowOf(id);
    if (r < 0)
        return;
    QStandardItem* item = takes_->item(r);
    item->setText(tr("Take %1 (seed %2): %3").arg(r + 1).arg(item->data(SeedRole).toULongLong()).arg(why));
    item->setData(-1, JobRole);
    updateButtons();
}

bool AuditionDialog::keepTake(int row) {
    if (row < 0 || row >= takes_->rowCount() || !takes_->item(row)->data(ReadyRole).toBool())
        return false;
    const QStandardItem* item = takes_->item(row);
    try {
        // The take says the spoken form of the sample line: that is its transcript.
        AnchorStore(anchorsDir_).keepFile(character_.id, item->data(PathRole).toString(),
                                          text::normalizeForSpeech(anchorSampleText(character_)), character_.csmSpeakerId,
                                          item->data(SeedRole).toULongLong());
    } catch (const Error& e) {
        showStatus(e.sentence());
        return false;
    }
    showStatus(tr("Kept take %1 as %2's voice.").arg(row + 1).arg(character_.name));
    Q_EMIT voiceChanged(character_.id);
    updateButtons();
    return true;
}

void AuditionDialog::updateButtons() {
    const int r = selectedRow();
    const bool ready = r >= 0 && takes_->item(r)->data(ReadyRole).toBool();
    play_->setEnabled(ready);
    keep_->setEnabled(ready);
    reset_->setEnabled(AnchorStore(anchorsDir_).has(character_.id));
}

void AuditionDialog::showStatus(const QString& text) {
    status_->setText(text);
}

void AuditionDialog::cancelRunning() {
    for (int r = 0; r < takes_->rowCount(); ++r) {
        const JobId id = takes_->item(r)->data(JobRole).toLongLong();
        if (id > 0)
            tasks_->cancel(id);
    }
}

} // namespace echoforge::ui
