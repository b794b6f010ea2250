#include "ui/studio/studio_panel.h"

#include <QEvent>
#include <QFrame>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
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
    // Everything but Generate scrolls; Generate sits below the scrolling part, so the primary
    // action is in view at 1024x640 and with a banner or two showing.
    auto* content = new QWidget(this);
    auto* column = new QVBoxLayout(content);
    column->setContentsMargins(16, 12, 16, 8);
    column->setSpacing(12);

    engineBanner_ = new Banner(content);
    banner_ = new Banner(content);
    character_ = new CharacterPanel(content);
    editor_ = new TextEditorPanel(textLimit, content);
    parameters_ = new ParameterPanel(defaults, presets, content);
    column->addWidget(engineBanner_);
    column->addWidget(banner_);
    column->addWidget(character_);
    column->addWidget(separator(content));
    column->addWidget(editor_, 1);
    column->addWidget(parameters_);

    scroll_ = new QScrollArea(this);
    scroll_->setWidget(content);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll_->setAccessibleName(tr("Studio settings and text"));
    scroll_->setFocusPolicy(Qt::NoFocus);   // its controls take focus (and scroll into view); no Tab stop of its own
    scroll_->verticalScrollBar()->setAccessibleName(tr("Scroll the studio panel"));
    // Never clipped sideways: as wide as the content needs, plus the scroll bar.
    scroll_->setMinimumWidth(content->minimumSizeHint().width() + scroll_->verticalScrollBar()->sizeHint().width());

    generate_ = new QPushButton(themedIcon("play"), tr("Generate   Ctrl+Enter"), this);
    generate_->setAccessibleName(tr("Generate"));
    generate_->setToolTip(tr("Queue the text for speaking (Ctrl+Enter)"));
    generate_->setDefault(true);
    generate_->setMinimumHeight(36);
    markAccent(generate_);   // the one accent-filled control: the primary action

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    outer->addWidget(scroll_, 1);
    auto* footer = new QVBoxLayout;
    footer->setContentsMargins(16, 8, 16, 12);
    footer->addWidget(generate_);
    outer->addLayout(footer);

    // A banner that appears is scrolled into view (it says what just went wrong).
    engineBanner_->installEventFilter(this);
    banner_->installEventFilter(this);
    connect(generate_, &QPushButton::clicked, this, &StudioPanel::generateRequested);
}

bool StudioPanel::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Show && (watched == banner_ || watched == engineBanner_))
        scroll_->ensureWidgetVisible(static_cast<QWidget*>(watched), 0, 0);
    return QWidget::eventFilter(watched, event);
}

} // namespace echoforge::ui
