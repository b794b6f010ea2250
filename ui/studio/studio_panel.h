#pragma once
// The right-hand column: notification banners, the selected character, the editor and the
// parameters, which scroll; below them the Generate button, which does not.

#include <QWidget>

#include "ui/studio/parameter_panel.h"

class QPushButton;
class QScrollArea;

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
    QScrollArea* scrollArea() const { return scroll_; }

Q_SIGNALS:
    void generateRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QScrollArea* scroll_;
    Banner* engineBanner_;
    Banner* banner_;
    CharacterPanel* character_;
    TextEditorPanel* editor_;
    ParameterPanel* parameters_;
    QPushButton* generate_;
};

} // namespace echoforge::ui
