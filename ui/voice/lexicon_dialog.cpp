#include "ui/voice/lexicon_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include "core/common/error.h"
#include "core/text/text_normalizer.h"

namespace echoforge::ui {

LexiconDialog::LexiconDialog(QString lexiconsDir, Character character, const QString& previewText, QWidget* parent)
    : QDialog(parent), dir_(std::move(lexiconsDir)), character_(std::move(character)), model_(new QStandardItemModel(0, 2, this)) {
    setWindowTitle(tr("Pronunciations"));
    setAccessibleName(windowTitle());
    auto* layout = new QVBoxLayout(this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setAccessibleName(tr("Lexicon status"));
    try {
        library_ = text::Lexicon::load(text::lexiconPath(dir_));
        if (!character_.id.isEmpty())
            own_ = text::Lexicon::load(text::lexiconPath(dir_, character_.id));
    } catch (const Error& e) {
        status_->setText(e.sentence() + tr(" Saving will replace it."));
    }

    scopeBox_ = new QComboBox(this);
    scopeBox_->addItem(tr("Every character (the library)"));
    if (!character_.id.isEmpty())
        scopeBox_->addItem(tr("Only %1").arg(character_.name));
    scopeBox_->setAccessibleName(tr("Whose pronunciations"));
    auto* form = new QFormLayout;
    form->addRow(tr("&For:"), scopeBox_);
    layout->addLayout(form);

    model_->setHorizontalHeaderLabels({tr("Word"), tr("Say it as")});
    table_ = new QTableView(this);
    table_->setModel(model_);
    table_->setAccessibleName(tr("Words and how to say them"));
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setTabKeyNavigation(false);   // Tab leaves the table; arrows move inside it
    layout->addWidget(table_, 1);

    auto* row = new QHBoxLayout;
    auto* add = new QPushButton(tr("&Add word"), this);
    add->setAccessibleName(tr("Add a word"));
    remove_ = new QPushButton(tr("&Remove word"), this);
    remove_->setAccessibleName(tr("Remove the selected word"));
    row->addWidget(add);
    row->addWidget(remove_);
    row->addStretch();
    layout->addLayout(row);

    preview_ = new QPlainTextEdit(previewText, this);
    preview_->setAccessibleName(tr("Text to preview"));
    preview_->setTabChangesFocus(true);
    preview_->setMaximumHeight(80);
    spoken_ = new QLabel(this);
    spoken_->setWordWrap(true);
    spoken_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    spoken_->setFocusPolicy(Qt::StrongFocus);
    auto* previewForm = new QFormLayout;
    previewForm->addRow(tr("&Text:"), preview_);
    previewForm->addRow(tr("What will be spoken:"), spoken_);
    layout->addLayout(previewForm);
    layout->addWidget(status_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    resize(560, 480);

    connect(scopeBox_, &QComboBox::currentIndexChanged, this, &LexiconDialog::setScope);
    connect(add, &QPushButton::clicked, this, [this] {
        model_->appendRow({new QStandardItem, new QStandardItem});
        table_->setCurrentIndex(model_->index(model_->rowCount() - 1, 0));
        table_->edit(table_->currentIndex());
    });
    connect(remove_, &QPushButton::clicked, this, [this] {
        if (table_->currentIndex().isValid())
            model_->removeRow(table_->currentIndex().row());
    });
    connect(model_, &QStandardItemModel::dataChanged, this, &LexiconDialog::updatePreview);
    connect(model_, &QStandardItemModel::rowsRemoved, this, &LexiconDialog::updatePreview);
    connect(model_, &QStandardItemModel::rowsInserted, this, &LexiconDialog::updatePreview);
    connect(preview_, &QPlainTextEdit::textChanged, this, &LexiconDialog::updatePreview);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (save())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setScope(character_.id.isEmpty() ? 0 : 1);
}

void LexiconDialog::setScope(int scope) {
    QString error;
    if (!loading_ && model_->rowCount() > 0 && !collect(&error)) {
        status_->setText(error);
        scopeBox_->setCurrentIndex(scope_);
        return;
    }
    scope_ = scope;
    const QSignalBlocker quiet(scopeBox_);   // this is where the box's own signal leads
    scopeBox_->setCurrentIndex(scope);
    showScope();
}

void LexiconDialog::showScope() {
    loading_ = true;
    model_->removeRows(0, model_->rowCount());
    for (const text::LexiconEntry& e : (scope_ == 0 ? library_ : own_).entries())
        model_->appendRow({new QStandardItem(e.word), new QStandardItem(e.respelling)});
    loading_ = false;
    updatePreview();
}

bool LexiconDialog::collect(QString* error) {
    text::Lexicon lexicon;
    for (int r = 0; r < model_->rowCount(); ++r) {
        const QString word = model_->item(r, 0)->text().trimmed();
        const QString respelling = model_->item(r, 1)->text().trimmed();
        if (word.isEmpty() && respelling.isEmpty())
            continue;   // a row just added
        try {
            lexicon.set(word, respelling);
        } catch (const Error& e) {
            if (error)
                *error = tr("Row %1: %2").arg(r + 1).arg(e.sentence());
            return false;
        }
    }
    (scope_ == 0 ? library_ : own_) = lexicon;
    return true;
}

void LexiconDialog::setPreviewText(const QString& text) {
    preview_->setPlainText(text);
}

QString LexiconDialog::spokenPreview() const {
    return spoken_->text();
}

void LexiconDialog::updatePreview() {
    if (loading_)
        return;
    QString error;
    const bool ok = collect(&error);
    status_->setText(ok ? QString() : error);
    spoken_->setText(text::spokenForm(preview_->toPlainText(), library_.mergedWith(own_)));
    spoken_->setAccessibleName(tr("What will be spoken: %1").arg(spoken_->text()));
    remove_->setEnabled(model_->rowCount() > 0);
}

bool LexiconDialog::save() {
    QString error;
    if (!collect(&error)) {
        status_->setText(error);
        return false;
    }
    try {
        library_.save(text::lexiconPath(dir_));
        if (!character_.id.isEmpty())
            own_.save(text::lexiconPath(dir_, character_.id));
    } catch (const Error& e) {
        status_->setText(e.sentence());
        return false;
    }
    return true;
}

} // namespace echoforge::ui
