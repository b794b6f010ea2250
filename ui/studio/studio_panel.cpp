#include "ui/studio/studio_panel.h"

#include <QFrame>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/shell/banner.h"
#include "ui/studio/character_panel.h"
#include "ui/studio/text_editor_panel.h"
#include "ui/theme/icons.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {

QFrame* separator(QWidget* parent) {
    auto* line = new QFrame(parent);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

} // namespace

StudioPanel::StudioPanel(const ParameterDefaults& defaults, int textLimit, PresetStore* presets, QWidget* parent)
    : QWidget(parent) {
    setAccessibleName(tr("Studio panel"));
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(16, 12, 16, 12);
    column->setSpacing(12);

    engineBanner_ = new Banner(this);
    banner_ = new Banner(this);
    character_ = new CharacterPanel(this);
    editor_ = new TextEditorPanel(textLimit, this);
    parameters_ = new ParameterPanel(defaults, presets, this);
    generate_ = new QPushButton(themedIcon("play"), tr("Generate   Ctrl+Enter"), this);
    generate_->setAccessibleName(tr("Generate"));
    generate_->setToolTip(tr("Queue the text for speaking (Ctrl+Enter)"));
    generate_->setDefault(true);
    generate_->setMinimumHeight(36);
    markAccent(generate_);   // the one accent-filled control: the primary action

    column->addWidget(engineBanner_);
    column->addWidget(banner_);
    column->addWidget(character_);
    column->addWidget(separator(this));
    column->addWidget(editor_, 1);
    column->addWidget(parameters_);
    column->addWidget(generate_);
    connect(generate_, &QPushButton::clicked, this, &StudioPanel::generateRequested);
}

} // namespace echoforge::ui
