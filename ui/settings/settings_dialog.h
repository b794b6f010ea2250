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
class QTabWidget;

namespace echoforge {
class ModelManager;
}

namespace echoforge::ui {

class ModelsPage;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    // `models` (may be null) backs the Models tab.
    SettingsDialog(const Settings& settings, const QString& defaultModelDir, QWidget* parent = nullptr,
                   ModelManager* models = nullptr);

    Settings settings() const;
    QComboBox* themeBox() const { return theme_; }
    // Opens on the Models tab (the first-run banner's "Get the CSM voice model").
    void showModelsTab();

Q_SIGNALS:
    // The theme box changed: the window previews it at once.
    void themePreviewRequested(const QString& theme);

private:
    QLineEdit* folderRow(QLineEdit* edit, const QString& placeholder, QWidget* parent, class QFormLayout* form,
                         const QString& label);

    Settings base_;
    QTabWidget* tabs_;
    ModelsPage* modelsPage_;
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
