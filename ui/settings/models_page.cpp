#include "ui/settings/models_page.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "core/common/error.h"
#include "core/hub/model_manager.h"

namespace echoforge::ui {

namespace {

QPushButton* button(const QString& text, const QString& name, QWidget* parent) {
    auto* b = new QPushButton(text, parent);
    b->setAccessibleName(name);
    return b;
}

} // namespace

ModelsPage::ModelsPage(ModelManager* manager, const QString& token, QWidget* parent) : QWidget(parent), manager_(manager) {
    setAccessibleName(tr("Models"));
    auto* column = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("CSM-1B, the Mimi codec and the tokenizer come from the Hugging Face hub, verified by "
                                "SHA-256. CSM-1B is gated: accept its terms on the model page, then enter an access token."),
                             this);
    intro->setWordWrap(true);
    column->addWidget(intro);

    table_ = new QTableView(this);
    table_->setAccessibleName(tr("Models and their state"));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setMinimumHeight(140);
    column->addWidget(table_, 1);

    auto* actions = new QHBoxLayout;
    get_ = button(tr("Get"), tr("Download the selected model"), this);
    cancel_ = button(tr("Cancel"), tr("Cancel the download"), this);
    verify_ = button(tr("Verify"), tr("Check the selected model's files"), this);
    remove_ = button(tr("Remove"), tr("Delete the selected model's files"), this);
    import_ = button(tr("Import a folder…"), tr("Import models from a folder or the Hugging Face cache"), this);
    for (QPushButton* b : {get_, cancel_, verify_, remove_})
        actions->addWidget(b);
    actions->addStretch(1);
    actions->addWidget(import_);
    column->addLayout(actions);

    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setAccessibleName(tr("Download progress"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(status_);

    auto* form = new QFormLayout;
    token_ = new QLineEdit(token, this);
    token_->setEchoMode(QLineEdit::Password);
    token_->setPlaceholderText(tr("hf_… (or set HF_TOKEN)"));
    token_->setAccessibleName(tr("Hugging Face access token"));
    form->addRow(tr("Access token"), token_);
    auto* fineTuneRow = new QHBoxLayout;
    fineTune_ = new QLineEdit(this);
    fineTune_->setPlaceholderText(tr("ORG/NAME of a CSM fine-tune (transformers format)"));
    fineTune_->setAccessibleName(tr("Fine-tune repository"));
    auto* add = button(tr("Add"), tr("Add the fine-tune to the list"), this);
    fineTuneRow->addWidget(fineTune_, 1);
    fineTuneRow->addWidget(add);
    form->addRow(tr("Fine-tune"), fineTuneRow);
    column->addLayout(form);

    if (!manager_) {
        status_->setText(tr("The model manager is not available here."));
        for (QWidget* w : std::initializer_list<QWidget*>{get_, cancel_, verify_, remove_, import_, add, fineTune_})
            w->setEnabled(false);
        return;
    }
    table_->setModel(manager_);
    table_->resizeColumnsToContents();
    table_->selectRow(0);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ModelsPage::updateButtons);
    connect(token_, &QLineEdit::textEdited, this, [this](const QString& t) { manager_->setToken(t); });
    connect(get_, &QPushButton::clicked, this, [this] {
        status_->setText(tr("Starting…"));
        manager_->get(selectedRow());
        updateButtons();
    });
    connect(cancel_, &QPushButton::clicked, manager_, &ModelManager::cancel);
    connect(verify_, &QPushButton::clicked, this, [this] {
        manager_->verify(selectedRow());
        updateButtons();
    });
    connect(remove_, &QPushButton::clicked, this, [this] {
        const auto& m = manager_->entry(selectedRow());
        if (QMessageBox::question(this, tr("Remove %1").arg(m.title), tr("Delete the files of %1 from the model folder?").arg(m.title)) ==
            QMessageBox::Yes)
            manager_->remove(selectedRow());
    });
    connect(import_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Import models from"));
        if (dir.isEmpty())
            return;
        const bool copy = QMessageBox::question(this, tr("Link or copy"),
                                                tr("Copy the files into the model folder? (No: link to them where they are.)")) ==
                          QMessageBox::Yes;
        manager_->importFolder(dir, copy ? ImportMode::Copy : ImportMode::Link);
        updateButtons();
    });
    connect(add, &QPushButton::clicked, this, [this] {
        try {
            table_->selectRow(manager_->addFineTune(fineTune_->text()));
            fineTune_->clear();
        } catch (const Error& e) {
            status_->setText(e.sentence());
        }
    });
    connect(manager_, &ModelManager::status, status_, &QLabel::setText);
    connect(manager_, &ModelManager::finished, this, [this](const QString& error) {
        status_->setText(error.isEmpty() ? tr("Done. CSM loads with these files for the next job.") : error);
        updateButtons();
    });
    updateButtons();
}

QString ModelsPage::token() const { return token_->text().trimmed(); }

int ModelsPage::selectedRow() const {
    const auto rows = table_->selectionModel() ? table_->selectionModel()->selectedRows() : QModelIndexList{};
    return rows.isEmpty() ? -1 : rows.first().row();
}

void ModelsPage::updateButtons() {
    const bool busy = manager_->busy(), selected = selectedRow() >= 0;
    get_->setEnabled(!busy && selected);
    verify_->setEnabled(!busy && selected);
    remove_->setEnabled(!busy && selected);
    import_->setEnabled(!busy);
    cancel_->setEnabled(busy);
}

} // namespace echoforge::ui
