#pragma once
// Step 3 of cloning: name, gender, styles and description, and a test sentence.

#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace echoforge::ui {

class CloneWizard;

class CloneProfilePage : public QWizardPage {
    Q_OBJECT
public:
    CloneProfilePage(CloneWizard* wizard, bool canTry, QWidget* parent = nullptr);

    bool isComplete() const override;
    bool validatePage() override;

    QLineEdit* nameField() const { return name_; }
    QComboBox* genderBox() const { return gender_; }
    QLineEdit* stylesField() const { return styles_; }
    QLineEdit* descriptionField() const { return description_; }
    void showMessage(const QString& text);

private:
    CloneWizard* wizard_;
    QLineEdit* name_;
    QComboBox* gender_;
    QLineEdit* styles_;
    QLineEdit* description_;
    QLineEdit* testLine_;
    QPushButton* try_;
    QLabel* message_;
};

} // namespace echoforge::ui
