#include "ui/studio/text_editor_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabBar>
#include <QVBoxLayout>

#include "ui/theme/theme.h"
#include "ui/widgets/time_format.h"

namespace echoforge::ui {

TextEditorPanel::TextEditorPanel(int textLimit, QWidget* parent) : QWidget(parent), textLimit_(textLimit) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);

    auto* top = new QHBoxLayout;
    modes_ = new QTabBar(this);
    modes_->addTab(tr("Text"));
    modes_->addTab(tr("Script"));
    modes_->setDrawBase(false);
    modes_->setExpanding(false);
    modes_->setAccessibleName(tr("Editor mode"));
    modes_->setTabToolTip(1, tr("Lines written \"Name: text\" become one conversation"));
    count_ = new QLabel(this);
    count_->setAccessibleDescription(tr("Character count"));   // changing text: read as the name
    markMuted(count_);
    top->addWidget(modes_);
    top->addStretch();
    top->addWidget(count_);
    column->addLayout(top);

    editor_ = new QPlainTextEdit(this);
    editor_->setAccessibleName(tr("Text to speak"));
    editor_->setPlaceholderText(tr("Type what the character should say…"));
    editor_->setTabChangesFocus(true);
    column->addWidget(editor_, 1);

    estimate_ = new QLabel(this);
    estimate_->setAccessibleDescription(tr("Estimated duration"));
    markMuted(estimate_);
    estimate_->setWordWrap(true);
    column->addWidget(estimate_);

    connect(editor_, &QPlainTextEdit::textChanged, this, &TextEditorPanel::refresh);
    connect(modes_, &QTabBar::currentChanged, this, [this] {
        editor_->setPlaceholderText(mode() == Mode::Script
                                        ? tr("Mara Quinn: Did you hear that?\nTheo: Only the sea.")
                                        : tr("Type what the character should say…"));
        refresh();
    });
    refresh();
}

TextEditorPanel::Mode TextEditorPanel::mode() const {
    return modes_->currentIndex() == 1 ? Mode::Script : Mode::Text;
}

void TextEditorPanel::setMode(Mode mode) { modes_->setCurrentIndex(mode == Mode::Script ? 1 : 0); }

QString TextEditorPanel::text() const { return editor_->toPlainText(); }

void TextEditorPanel::setText(const QString& text) { editor_->setPlainText(text); }

QString TextEditorPanel::statusText() const { return estimate_->text(); }

void TextEditorPanel::refresh() {
    const QString t = text();
    const int n = int(t.size());
    count_->setText(n > textLimit_ ? tr("%1 / %2 characters").arg(n).arg(textLimit_) : (n == 1 ? tr("1 character") : tr("%1 characters").arg(n)));
    // Over the limit the count is the warning: it turns bold.
    QFont f = count_->font();
    f.setBold(n > textLimit_);
    count_->setFont(f);

    QString line;
    if (mode() == Mode::Script && !t.trimmed().isEmpty()) {
        const ScriptParse parse = parseScript(t);
        if (!parse.error.isEmpty()) {
            line = parse.error;
        } else {
            QString all;
            QStringList speakers;
            for (const ScriptTurn& turn : parse.turns) {
                all += turn.text + ' ';
                if (!speakers.contains(turn.speaker)) speakers << turn.speaker;
            }
            const int turns = int(parse.turns.size());
            line = (turns == 1 ? tr("≈ %1 · 1 turn by %2") : tr("≈ %1 · %3 turns by %2"))
                       .arg(formatDuration(estimateSpeechSeconds(all)), speakers.join(", "))
                       .arg(turns);
        }
    } else if (!t.trimmed().isEmpty()) {
        line = tr("≈ %1").arg(formatDuration(estimateSpeechSeconds(t)));
    }
    estimate_->setText(line);
    Q_EMIT changed();
}

} // namespace echoforge::ui
