#pragma once
// Edits a user character's profile: name, gender, age, accent, styles, description, sample line.

#include <QDialog>

#include "core/voices/character.h"

class QComboBox;
class QLineEdit;
class QPlainTextEdit;

namespace echoforge::ui {

class CharacterEditDialog : public QDialog {
    Q_OBJECT
public:
    explicit CharacterEditDialog(const Character& character, QWidget* parent = nullptr);

    Character character() const;

private:
    Character base_;
    QLineEdit* name_;
    QComboBox* gender_;
    QLineEdit* age_;
    QLineEdit* accent_;
    QLineEdit* styles_;
    QPlainTextEdit* description_;
    QLineEdit* sampleText_;
};

// The gender choices offered everywhere: female, male, neutral.
void fillGenderChoices(QComboBox* box, const QString& current);
// "warm, narrator" ⇄ {"warm", "narrator"}: lower case, trimmed, no empties or repeats.
QStringList parseStyleList(const QString& text);

} // namespace echoforge::ui
