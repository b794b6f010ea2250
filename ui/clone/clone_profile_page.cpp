#include "ui/clone/clone_profile_page.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/clone/clone_wizard.h"
#include "ui/studio/character_edit_dialog.h"
#include "ui/theme/icons.h"

namespace echoforge::ui {

CloneProfilePage::CloneProfilePage(CloneWizard* wizard, bool canTry, QWidget* parent)
    : QWizardPage(parent), wizard_(wizard) {
    setTitle(tr("Who is speaking"));
    setSubTitle(tr("How the new character appears in the gallery."));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("Save the character"));
    auto* form = new QFormLayout(this);
    name_ = new QLineEdit(this);
    name_->setAccessibleName(tr("Name"));
    gender_ = new QComboBox(this);
    gender_->setAccessibleName(tr("Gender"));
    fillGenderChoices(gender_, "neutral");
    styles_ = new QLineEdit(this);
    styles_->setAccessibleName(tr("Styles"));
    styles_->setPlaceholderText(tr("warm, calm, narrator"));
    description_ = new QLineEdit(this);
    description_->setAccessibleName(tr("Description"));
    testLine_ = new QLineEdit(tr("This is my new voice. How does it sound?"), this);
    testLine_->setAccessibleName(tr("Test sentence"));
    try_ = new QPushButton(themedIcon("play"), tr("Try it"), this);
    try_->setAccessibleName(tr("Try the test sentence"));
    try_->setEnabled(canTry);
    auto* tryRow = new QHBoxLayout;
    tryRow->addWidget(testLine_, 1);
    tryRow->addWidget(try_);
    message_ = new QLabel(canTry ? QString() : tr("Only CSM-1B can speak a cloned voice; install it to try the voice. "
                                                  "The character can be saved now."), this);
    message_->setWordWrap(true);
    message_->setAccessibleDescription(tr("Message"));   // changing text: read as the name

    form->addRow(tr("Name"), name_);
    form->addRow(tr("Gender"), gender_);
    form->addRow(tr("Styles"), styles_);
    form->addRow(tr("Description"), description_);
    form->addRow(tr("Test"), tryRow);
    form->addRow(message_);

    connect(name_, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
    connect(try_, &QPushButton::clicked, this, [this] { wizard_->trySentence(testLine_->text()); });
    connect(wizard_, &CloneWizard::trySentenceFailed, this, &CloneProfilePage::showMessage);
    connect(wizard_, &CloneWizard::saveFailed, this, &CloneProfilePage::showMessage);
}

void CloneProfilePage::showMessage(const QString& text) { message_->setText(text); }

bool CloneProfilePage::isComplete() const { return !name_->text().trimmed().isEmpty(); }

// Saving is file work: the first press starts it and the wizard finishes once it is done.
bool CloneProfilePage::validatePage() {
    if (wizard_->isSaved()) return true;
    showMessage(tr("Saving…"));
    wizard_->save();
    return false;
}

} // namespace echoforge::ui
