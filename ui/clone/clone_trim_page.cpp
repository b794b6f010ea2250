#include "ui/clone/clone_trim_page.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "core/voices/clip_checks.h"
#include "ui/clone/clone_draft.h"
#include "ui/clone/trim_view.h"

namespace echoforge::ui {

CloneTrimPage::CloneTrimPage(CloneDraft* draft, QWidget* parent) : QWizardPage(parent), draft_(draft) {
    setTitle(tr("Trim and transcribe"));
    setSubTitle(tr("Keep the part with the voice, then type exactly what is said in it."));
    auto* column = new QVBoxLayout(this);
    trim_ = new TrimView(this);
    column->addWidget(trim_);

    auto spin = [this](const QString& name) {
        auto* box = new QDoubleSpinBox(this);
        box->setDecimals(2);
        box->setSuffix(tr(" s"));
        box->setAccessibleName(name);
        return box;
    };
    from_ = spin(tr("Keep from"));
    to_ = spin(tr("Keep until"));
    auto* range = new QHBoxLayout;
    range->addWidget(new QLabel(tr("Keep from"), this));
    range->addWidget(from_);
    range->addWidget(new QLabel(tr("until"), this));
    range->addWidget(to_);
    range->addStretch();
    column->addLayout(range);

    checks_ = new QLabel(this);
    checks_->setWordWrap(true);
    checks_->setAccessibleDescription(tr("Clip checks"));   // changing text: read as the name
    column->addWidget(checks_);

    transcript_ = new QPlainTextEdit(this);
    transcript_->setPlaceholderText(tr("What is said in the kept part, word for word"));
    transcript_->setAccessibleName(tr("Transcript"));
    transcript_->setTabChangesFocus(true);
    column->addWidget(new QLabel(tr("Transcript"), this));
    column->addWidget(transcript_, 1);

    connect(trim_, &TrimView::rangeChanged, this, &CloneTrimPage::rangeChanged);
    auto fromSpins = [this] {
        const int rate = std::max(1, trim_->sampleRate());
        trim_->setRange(qint64(from_->value() * rate), qint64(to_->value() * rate));
    };
    connect(from_, &QDoubleSpinBox::editingFinished, this, fromSpins);
    connect(to_, &QDoubleSpinBox::editingFinished, this, fromSpins);
    connect(transcript_, &QPlainTextEdit::textChanged, this, [this] {
        draft_->transcript = transcript_->toPlainText().trimmed();
        Q_EMIT completeChanged();
    });
}

void CloneTrimPage::initializePage() {
    trim_->setClip(draft_->samples, draft_->sampleRate);
    const double seconds = double(draft_->samples.size()) / std::max(1, draft_->sampleRate);
    for (QDoubleSpinBox* box : {from_, to_}) box->setRange(0, seconds);
    rangeChanged();
}

void CloneTrimPage::rangeChanged() {
    draft_->keepFrom = trim_->startFrame();
    draft_->keepTo = trim_->endFrame();
    const double rate = std::max(1, draft_->sampleRate);
    {
        const QSignalBlocker a(from_), b(to_);
        from_->setValue(draft_->keepFrom / rate);
        to_->setValue(draft_->keepTo / rate);
    }
    const ClipCheck check = checkClip(draft_->kept(), draft_->sampleRate);
    clipOk_ = check.ok();
    QStringList lines;
    for (const QString& p : check.problems) lines << QStringLiteral("✗ ") + p.toHtmlEscaped();
    for (const QString& w : check.warnings) lines << QStringLiteral("! ") + w.toHtmlEscaped();
    if (lines.isEmpty()) lines << tr("✓ The clip sounds usable: %1 s kept.").arg((draft_->keepTo - draft_->keepFrom) / rate, 0, 'f', 1);
    checks_->setText(lines.join("<br>"));
    Q_EMIT completeChanged();
}

bool CloneTrimPage::isComplete() const { return clipOk_ && !draft_->transcript.isEmpty(); }

} // namespace echoforge::ui
