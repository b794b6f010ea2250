#pragma once
// The right-hand column: a notification banner, the selected character, the editor, the
// parameters and the Generate button.

#include <QWidget>

#include "ui/studio/parameter_panel.h"

class QPushButton;

namespace echoforge::ui {

class Banner;
class CharacterPanel;
class PresetStore;
class TextEditorPanel;

class StudioPanel : public QWidget {
    Q_OBJECT
public:
    StudioPanel(const ParameterDefaults& defaults, int textLimit, PresetStore* presets, QWidget* parent = nullptr);

    Banner* banner() const { return banner_; }
    Banner* engineBanner() const { return engineBanner_; }
    CharacterPanel* characterPanel() const { return character_; }
    TextEditorPanel* editor() const { return editor_; }
    ParameterPanel* parameters() const { return parameters_; }
    QPushButton* generateButton() const { return generate_; }

Q_SIGNALS:
    void generateRequested();

private:
    Banner* engineBanner_;
    Banner* banner_;
    CharacterPanel* character_;
    TextEditorPanel* editor_;
    ParameterPanel* parameters_;
    QPushButton* generate_;
};

} // namespace echoforge::ui
