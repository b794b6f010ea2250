#include "ui/studio/parameter_panel.h"

#include <limits>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QRandomGenerator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/studio/labeled_slider.h"
#include "ui/studio/preset_store.h"
#include "ui/theme/icons.h"

namespace echoforge::ui {
namespace {
constexpr SliderRange kTemperatureRange{.minimum = 0.1, .maximum = 1.5, .defaultValue = 0.9, .step = 0.01, .decimals = 2};
constexpr SliderRange kTopKRange{.minimum = 1, .maximum = 200, .defaultValue = 50, .step = 1, .decimals = 0};
constexpr double kShortestSeconds = 1.0;
} // namespace

ParameterPanel::ParameterPanel(const ParameterDefaults& defaults, PresetStore* presets, QWidget* parent)
    : QWidget(parent), presets_(presets) {
    setAccessibleName(tr("Generation parameters"));
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(8);

    auto* presetRow = new QHBoxLayout;
    auto* presetLabel = new QLabel(tr("Preset"), this);
    preset_ = new QComboBox(this);
    preset_->setAccessibleName(tr("Preset"));
    presetLabel->setBuddy(preset_);
    savePreset_ = new QToolButton(this);
    savePreset_->setText(tr("Save…"));
    savePreset_->setToolTip(tr("Save these parameters as a preset of this character"));
    savePreset_->setAccessibleName(tr("Save preset"));
    presetRow->addWidget(presetLabel);
    presetRow->addWidget(preset_, 1);
    presetRow->addWidget(savePreset_);
    column->addLayout(presetRow);

    SliderRange t = kTemperatureRange;
    t.defaultValue = defaults.temperature;
    temperature_ = new LabeledSlider(tr("Temperature"), t, this);
    temperature_->setToolTip(tr("Lower is steadier, higher is livelier."));
    SliderRange k = kTopKRange;
    k.defaultValue = defaults.topK;
    topK_ = new LabeledSlider(tr("Top-k"), k, this);
    topK_->setToolTip(tr("How many candidate sounds are considered at each step."));
    column->addWidget(temperature_);
    column->addWidget(topK_);

    auto* seedRow = new QHBoxLayout;
    auto* seedLabel = new QLabel(tr("Seed"), this);
    seed_ = new QSpinBox(this);
    seed_->setRange(0, std::numeric_limits<int>::max());
    seed_->setMinimumWidth(seed_->fontMetrics().horizontalAdvance(QStringLiteral("0000000000")) + 24);
    seed_->setAccessibleName(tr("Seed"));
    seedLabel->setBuddy(seed_);
    randomSeed_ = new QCheckBox(tr("Random"), this);
    randomSeed_->setAccessibleName(tr("Random seed"));
    randomSeed_->setToolTip(tr("A new seed for every take; the history keeps the one used."));
    randomSeed_->setChecked(true);
    seed_->setEnabled(false);
    dice_ = new QToolButton(this);
    dice_->setIcon(themedIcon("dice"));
    dice_->setAutoRaise(true);
    dice_->setToolTip(tr("Roll a new fixed seed"));
    dice_->setAccessibleName(tr("Roll a seed"));
    auto* maxLabel = new QLabel(tr("Max"), this);
    maxLabel->setToolTip(tr("The longest audio to make for one request"));
    maxLength_ = new QDoubleSpinBox(this);
    maxLength_->setRange(kShortestSeconds, defaults.maxSecondsLimit);
    maxLength_->setDecimals(0);
    maxLength_->setSuffix(tr(" s"));
    maxLength_->setValue(defaults.maxSeconds);
    maxLength_->setAccessibleName(tr("Maximum length in seconds"));
    maxLabel->setBuddy(maxLength_);
    // Seed and maximum length share a row; labels line up with the sliders' labels above.
    seedLabel->setMinimumWidth(temperature_->labelWidth());
    seedRow->addWidget(seedLabel);
    seedRow->addWidget(seed_, 1);
    seedRow->addWidget(dice_);
    seedRow->addWidget(randomSeed_);
    seedRow->addSpacing(12);
    seedRow->addWidget(maxLabel);
    seedRow->addWidget(maxLength_);
    column->addLayout(seedRow);
    // Tab follows the row as it reads (Roll was made after Random).
    setTabOrder(seed_, dice_);
    setTabOrder(dice_, randomSeed_);
    setTabOrder(randomSeed_, maxLength_);

    connect(randomSeed_, &QCheckBox::toggled, seed_, [this](bool random) {
        seed_->setEnabled(!random);
        Q_EMIT paramsChanged();
    });
    connect(dice_, &QToolButton::clicked, this, &ParameterPanel::rollDice);
    connect(seed_, &QSpinBox::valueChanged, this, &ParameterPanel::paramsChanged);
    connect(maxLength_, &QDoubleSpinBox::valueChanged, this, &ParameterPanel::paramsChanged);
    for (LabeledSlider* s : {temperature_, topK_})
        connect(s, &LabeledSlider::valueChanged, this, [this] {
            markCustom();
            Q_EMIT paramsChanged();
        });
    connect(preset_, &QComboBox::activated, this, &ParameterPanel::applyPreset);
    connect(savePreset_, &QToolButton::clicked, this, &ParameterPanel::savePreset);
    reloadPresets();
}

GenerationParams ParameterPanel::params() const {
    GenerationParams p;
    p.temperature = temperature_->value();
    p.topK = static_cast<int>(topK_->value());
    if (!randomSeed_->isChecked())
        p.seed = static_cast<std::uint64_t>(seed_->value());
    p.maxSeconds = maxLength_->value();
    return p;
}

void ParameterPanel::setParams(const GenerationParams& p) {
    temperature_->setValue(p.temperature);
    topK_->setValue(p.topK);
    randomSeed_->setChecked(!p.seed.has_value());
    if (p.seed)
        seed_->setValue(static_cast<int>(std::min<std::uint64_t>(*p.seed, std::numeric_limits<int>::max())));
    maxLength_->setValue(p.maxSeconds);
}

void ParameterPanel::rollDice() {
    seed_->setValue(static_cast<int>(QRandomGenerator::global()->bounded(std::numeric_limits<int>::max())));
    randomSeed_->setChecked(false);
}

void ParameterPanel::setCharacter(const QString& characterId) {
    characterId_ = characterId;
    reloadPresets();
}

void ParameterPanel::reloadPresets() {
    const QSignalBlocker block(preset_);
    preset_->clear();
    for (const ParameterPreset& p : presets_->presetsFor(characterId_))
        preset_->addItem(p.builtIn ? p.name : tr("%1 (this voice)").arg(p.name),
                         QVariantList{p.name, p.temperature, p.topK});
    savePreset_->setEnabled(!characterId_.isEmpty());
    markCustom();
}

void ParameterPanel::applyPreset(int row) {
    const QVariantList v = preset_->itemData(row).toList();
    if (v.size() != 3)
        return;
    applyingPreset_ = true;
    temperature_->setValue(v[1].toDouble());
    topK_->setValue(v[2].toInt());
    applyingPreset_ = false;
    markCustom();
}

// Shows the preset the sliders match, or "Custom".
void ParameterPanel::markCustom() {
    if (applyingPreset_)
        return;
    const QSignalBlocker block(preset_);
    const int customRow = preset_->findData(QStringLiteral("custom"));
    for (int row = 0; row < preset_->count(); ++row) {
        const QVariantList v = preset_->itemData(row).toList();
        if (v.size() == 3 && qFuzzyCompare(v[1].toDouble(), temperature_->value()) && v[2].toInt() == int(topK_->value())) {
            preset_->setCurrentIndex(row);
            if (customRow >= 0) preset_->removeItem(customRow);
            return;
        }
    }
    if (customRow < 0)
        preset_->addItem(tr("Custom"), QStringLiteral("custom"));
    preset_->setCurrentIndex(preset_->findData(QStringLiteral("custom")));
}

void ParameterPanel::savePreset() {
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save preset"), tr("Name of the preset:"),
                                               QLineEdit::Normal, {}, &ok).trimmed();
    if (!ok || name.isEmpty())
        return;
    presets_->save(characterId_, {name, temperature_->value(), static_cast<int>(topK_->value())});
    reloadPresets();
}

} // namespace echoforge::ui
