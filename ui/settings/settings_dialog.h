#pragma once
// The settings: model folder, engine and device, threads, precision, theme, output folder,
// limits and the local HTTP API (settings_api.cpp). Edits a copy of Settings; the caller saves
// and applies what comes back.

#include <QDialog>

#include "core/common/settings.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QDoubleSpinBox;
class QTabWidget;

namespace echoforge {
class ModelManager;
}

namespace echoforge::api {
class ApiHost;
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
    // Shows the API token with Copy and Regenerate (the host regenerates it); without a host the
    // token row says the API settings apply at the next start.
    void setApiHost(api::ApiHost* host);
    QComboBox* themeBox() const { return theme_; }
    // Opens on the Models tab (the first-run banner's "Get the CSM voice model").
    void showModelsTab();

Q_SIGNALS:
    // The theme box changed: the window previews it at once.
    void themePreviewRequested(const QString& theme);

private:
    class QGroupBox* apiGroup(const Settings& settings);
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
    QSpinBox* pieceStreams_;   // pieces of a long text side by side; 1 = one after another
    QSpinBox* jobStreams_;     // queued CSM jobs spoken at once; 1 = one at a time
    QSpinBox* idleUnload_;
    QComboBox* theme_;
    QLineEdit* outputDir_;
    QSpinBox* queueLimit_;
    QSpinBox* textLimit_;
    QSpinBox* audioLimit_;
    QSpinBox* cacheLimit_;
    QCheckBox* apiEnabled_;
    QSpinBox* apiPort_;
    QLineEdit* apiBind_;
    QLineEdit* apiToken_;
    QLabel* apiWarning_;
    api::ApiHost* apiHost_ = nullptr;
};

} // namespace echoforge::ui
