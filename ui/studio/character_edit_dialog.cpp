#include "ui/studio/character_edit_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace echoforge::ui {

void fillGenderChoices(QComboBox* box, const QString& current) {
    box->addItem(QObject::tr("Female"), QStringLiteral("female"));
    box->addItem(QObject::tr("Male"), QStringLiteral("male"));
    box->addItem(QObject::tr("Neutral"), QStringLiteral("neutral"));
    box->setCurrentIndex(std::max(0, box->findData(current.isEmpty() ? QStringLiteral("neutral") : current)));
}

QStringList parseStyleList(const QString& text) {
    QStringList out;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        const QString s = part.trimmed().toLower();
        if (!s.isEmpty() && !out.contains(s)) out << s;
    }
    return out;
}

CharacterEditDialog::CharacterEditDialog(const Character& character, QWidget* parent)
    : QDialog(parent), base_(character) {
    setWindowTitle(tr("Edit %1").arg(character.name));
    setAccessibleName(windowTitle());
    auto* column = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    auto named = [](auto* w, const QString& name) {
        w->setAccessibleName(name);
        return w;
    };
    name_ = named(new QLineEdit(character.name, this), tr("Name"));
    gender_ = named(new QComboBox(this), tr("Gender"));
    fillGenderChoices(gender_, character.gender);
    age_ = named(new QLineEdit(character.ageRange, this), tr("Age"));
    age_->setPlaceholderText(tr("20s, 30s, child, senior…"));
    accent_ = named(new QLineEdit(character.accent, this), tr("Accent"));
    styles_ = named(new QLineEdit(character.styles.join(", "), this), tr("Styles"));
    styles_->setPlaceholderText(tr("warm, narrator, calm"));
    description_ = named(new QPlainTextEdit(character.description, this), tr("Description"));
    description_->setTabChangesFocus(true);
    description_->setMaximumHeight(90);
    sampleText_ = named(new QLineEdit(character.sampleText, this), tr("Sample line"));
    form->addRow(tr("Name"), name_);
    form->addRow(tr("Gender"), gender_);
    form->addRow(tr("Age"), age_);
    form->addRow(tr("Accent"), accent_);
    form->addRow(tr("Styles"), styles_);
    form->addRow(tr("Description"), description_);
    form->addRow(tr("Sample line"), sampleText_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    column->addLayout(form);
    column->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(name_, &QLineEdit::textChanged, this, [buttons](const QString& t) {
        buttons->button(QDialogButtonBox::Save)->setEnabled(!t.trimmed().isEmpty());
    });
    setMinimumWidth(420);
}

Character CharacterEditDialog::character() const {
    Character c = base_;
    c.name = name_->text().trimmed();
    c.gender = gender_->currentData().toString();
    c.ageRange = age_->text().trimmed();
    c.accent = accent_->text().trimmed();
    c.styles = parseStyleList(styles_->text());
    c.description = description_->toPlainText().trimmed();
    c.sampleText = sampleText_->text().trimmed();
    return c;
}

} // namespace echoforge::ui
