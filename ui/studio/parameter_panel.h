#pragma once
// The generation parameters: preset, temperature, top-k, seed (fixed or random, with a dice
// button) and maximum length. params() is exactly what the next request is made with.

#include <QWidget>

#include "core/engine/speech_engine.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QToolButton;

namespace echoforge::ui {

class LabeledSlider;
class PresetStore;

struct ParameterDefaults {
    double temperature = 0.9;
    int topK = 50;
    double maxSeconds = 30.0;
    double maxSecondsLimit = 600.0;   // the settings' audio limit
};

class ParameterPanel : public QWidget {
    Q_OBJECT
public:
    // `presets` is borrowed.
    ParameterPanel(const ParameterDefaults& defaults, PresetStore* presets, QWidget* parent = nullptr);

    GenerationParams params() const;
    void setParams(const GenerationParams& params);
    // Shows the presets of this character.
    void setCharacter(const QString& characterId);

    LabeledSlider* temperature() const { return temperature_; }
    LabeledSlider* topK() const { return topK_; }
    QSpinBox* seed() const { return seed_; }
    QCheckBox* randomSeed() const { return randomSeed_; }
    QToolButton* dice() const { return dice_; }
    QDoubleSpinBox* maxLength() const { return maxLength_; }
    QComboBox* presetBox() const { return preset_; }

public Q_SLOTS:
    // A new random seed in the box, and the seed fixed to it.
    void rollDice();

Q_SIGNALS:
    void paramsChanged();

private:
    void reloadPresets();
    void applyPreset(int row);
    void savePreset();
    void markCustom();

    PresetStore* presets_;
    QString characterId_;
    QComboBox* preset_;
    QToolButton* savePreset_;
    LabeledSlider* temperature_;
    LabeledSlider* topK_;
    QSpinBox* seed_;
    QCheckBox* randomSeed_;
    QToolButton* dice_;
    QDoubleSpinBox* maxLength_;
    bool applyingPreset_ = false;
};

} // namespace echoforge::ui
