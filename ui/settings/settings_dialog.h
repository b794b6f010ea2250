#pragma once
// The settings: model folder, engine and device, threads, precision, theme, output folder and
// limits. Edits a copy of Settings; the caller saves and applies what comes back.

#include <QDialog>

#include "core/common/settings.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;
class QDoubleSpinBox;

namespace echoforge::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const Settings& settings, const QString& defaultModelDir, QWidget* parent = nullptr);

    Settings settings() const;
    QComboBox* themeBox() const { return theme_; }

Q_SIGNALS:
    // The theme box changed: the window previews it at once.
    void themePreviewRequested(const QString& theme);

private:
    QLineEdit* folderRow(QLineEdit* edit, const QString& placeholder, QWidget* parent, class QFormLayout* form,
                         const QString& label);

    Settings base_;
    QLineEdit* modelDir_;
    QComboBox* engine_;
    QComboBox* device_;
    QCheckBox* everyCore_;   // checked: threads = 0, CSM uses every core
    QSpinBox* threads_;
    QComboBox* precision_;
    QSpinBox* idleUnload_;
    QComboBox* theme_;
    QLineEdit* outputDir_;
    QSpinBox* queueLimit_;
    QSpinBox* textLimit_;
    QSpinBox* audioLimit_;
    QSpinBox* cacheLimit_;
};

} // namespace echoforge::ui
