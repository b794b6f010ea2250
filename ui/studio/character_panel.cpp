#include "ui/studio/character_panel.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/voices/character_model.h"
#include "ui/gallery/avatar_cache.h"
#include "ui/gallery/character_card_delegate.h"
#include "ui/theme/icons.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {
constexpr int kAvatarSide = 64;

QToolButton* actionButton(const QString& icon, const QString& name, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setIcon(themedIcon(icon));
    b->setToolTip(name);
    b->setAccessibleName(name);
    b->setAutoRaise(true);
    return b;
}
} // namespace

CharacterPanel::CharacterPanel(QWidget* parent) : QWidget(parent), avatars_(std::make_unique<AvatarCache>()) {
    setAccessibleName(tr("Selected character"));
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(2);

    avatar_ = new QLabel(this);
    avatar_->setFixedSize(kAvatarSide, kAvatarSide);
    name_ = new QLabel(this);
    QFont nameFont = name_->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() + 3);
    nameFont.setWeight(QFont::DemiBold);
    name_->setFont(nameFont);
    name_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_ = new QLabel(this);
    details_->setWordWrap(true);
    markMuted(details_);
    description_ = new QLabel(this);
    description_->setWordWrap(true);
    description_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* info = new QVBoxLayout;
    info->setSpacing(2);
    info->addWidget(name_);
    info->addWidget(details_);
    grid->addWidget(avatar_, 0, 0, Qt::AlignTop);
    grid->addLayout(info, 0, 1);
    grid->addWidget(description_, 1, 0, 1, 2);
    grid->setColumnStretch(1, 1);

    auto* actions = new QHBoxLayout;
    actions->setSpacing(4);
    sample_ = new QPushButton(themedIcon("play"), tr("Sample"), this);
    sample_->setAccessibleName(tr("Play the sample"));
    use_ = new QPushButton(themedIcon("use"), tr("Use"), this);
    use_->setAccessibleName(tr("Use this voice"));
    use_->setToolTip(tr("Speak the text with this character (Enter in the gallery)"));
    edit_ = actionButton("edit", tr("Edit the character"), this);
    duplicate_ = actionButton("duplicate", tr("Duplicate the character"), this);
    delete_ = actionButton("delete", tr("Delete the character"), this);
    export_ = actionButton("export", tr("Export the character"), this);
    actions->addWidget(sample_);
    actions->addWidget(use_);
    actions->addStretch();
    for (QToolButton* b : {edit_, duplicate_, export_, delete_})
        actions->addWidget(b);
    grid->addLayout(actions, 2, 0, 1, 2);

    // The CSM voice: set or not, and how to choose it.
    auto* voice = new QHBoxLayout;
    voice->setSpacing(4);
    voiceState_ = new QLabel(this);
    voiceState_->setWordWrap(true);
    markMuted(voiceState_);
    audition_ = new QPushButton(tr("Audition…"), this);
    audition_->setAccessibleName(tr("Audition voices for this character"));
    audition_->setToolTip(tr("Hear several takes of the sample line under CSM and keep one as this character's voice"));
    lexicon_ = new QPushButton(tr("Pronunciations…"), this);
    lexicon_->setAccessibleName(tr("Edit pronunciations"));
    lexicon_->setToolTip(tr("Say how words are spoken, for the library or for this character, and see what will be spoken"));
    voice->addWidget(voiceState_, 1);
    voice->addWidget(audition_);
    voice->addWidget(lexicon_);
    grid->addLayout(voice, 3, 0, 1, 2);
    connect(audition_, &QPushButton::clicked, this, &CharacterPanel::auditionRequested);
    connect(lexicon_, &QPushButton::clicked, this, &CharacterPanel::lexiconRequested);

    connect(sample_, &QPushButton::clicked, this, &CharacterPanel::sampleRequested);
    connect(use_, &QPushButton::clicked, this, &CharacterPanel::useRequested);
    connect(edit_, &QToolButton::clicked, this, &CharacterPanel::editRequested);
    connect(duplicate_, &QToolButton::clicked, this, &CharacterPanel::duplicateRequested);
    connect(delete_, &QToolButton::clicked, this, &CharacterPanel::deleteRequested);
    connect(export_, &QToolButton::clicked, this, &CharacterPanel::exportRequested);
    setCharacter({});
}

CharacterPanel::~CharacterPanel() = default;

QString CharacterPanel::characterId() const {
    return index_.isValid() ? index_.data(CharacterModel::IdRole).toString() : QString();
}

void CharacterPanel::setCharacter(const QModelIndex& index) {
    index_ = index;
    const bool valid = index.isValid();
    for (QWidget* w : std::initializer_list<QWidget*>{sample_, use_, edit_, duplicate_, delete_, export_, audition_, lexicon_})
        w->setEnabled(valid);
    if (!valid) {
        voiceState_->clear();
        avatar_->clear();
        name_->setText(tr("No character selected"));
        details_->setText(tr("Pick a character in the gallery."));
        description_->clear();
        return;
    }
    const QString name = index.data(CharacterModel::NameRole).toString();
    avatar_->setPixmap(avatars_->avatar(index.data(CharacterModel::AvatarPathRole).toString(), name, kAvatarSide,
                                        devicePixelRatioF(), accentColor(palette())));
    name_->setText(name);
    QStringList parts{genderAgeLine(index.data(CharacterModel::GenderRole).toString(),
                                    index.data(CharacterModel::AgeRangeRole).toString())};
    const QString accent = index.data(CharacterModel::AccentRole).toString();
    if (!accent.isEmpty()) parts << accent;
    const QStringList styles = index.data(CharacterModel::StylesRole).toStringList();
    if (!styles.isEmpty()) parts << styles.join(", ");
    details_->setText(parts.join(QStringLiteral(" · ")));
    const QString description = index.data(CharacterModel::DescriptionRole).toString();
    description_->setText(description.isEmpty() ? QString() : QStringLiteral("“%1”").arg(description));
    const bool builtIn = index.data(CharacterModel::BuiltInRole).toBool();
    edit_->setEnabled(!builtIn);
    delete_->setEnabled(!builtIn);
    edit_->setToolTip(builtIn ? tr("Built-in characters cannot be edited; duplicate it first") : tr("Edit the character"));
    delete_->setToolTip(builtIn ? tr("Built-in characters cannot be deleted") : tr("Delete the character"));
    setVoiceState(index.data(CharacterModel::VoiceStateRole).toString());
}

void CharacterPanel::setVoiceState(const QString& state) {
    // CSM gives a random voice unless a clip of the voice is in its context: say which one it has.
    const bool clip = state == QLatin1String("clip");
    voiceState_->setText(clip ? tr("CSM voice: its own reference clip.")
                         : state == QLatin1String("chosen") ? tr("CSM voice: set, kept from an audition.")
                         : state == QLatin1String("first-use")
                             ? tr("CSM voice: set from its sample line at first use; audition to choose another.")
                             : tr("CSM voice: not set yet; the first CSM take sets it, or audition to choose."));
    voiceState_->setAccessibleName(voiceState_->text());
    audition_->setEnabled(!clip && index_.isValid());
    audition_->setToolTip(clip ? tr("This character speaks with its own reference clip")
                               : tr("Hear several takes of the sample line under CSM and keep one as this character's voice"));
}

void CharacterPanel::setSampleState(bool busy, bool playing) {
    sample_->setText(busy ? tr("Rendering…") : playing ? tr("Stop") : tr("Sample"));
    sample_->setIcon(themedIcon(playing ? "stop" : "play"));
}

} // namespace echoforge::ui
