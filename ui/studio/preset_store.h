#pragma once
// Parameter presets: three built in for every character, plus the ones a user saves for a
// character (kept in QSettings under presets/<character id>).

#include <QList>
#include <QString>

class QSettings;

namespace echoforge::ui {

struct ParameterPreset {
    QString name;
    double temperature = 0.9;
    int topK = 50;
    bool builtIn = false;

    bool operator==(const ParameterPreset&) const = default;
};

QList<ParameterPreset> builtInPresets();

class PresetStore {
public:
    // `store` is borrowed and must outlive this object.
    explicit PresetStore(QSettings& store) : store_(store) {}

    // The built-in presets, then the character's own.
    QList<ParameterPreset> presetsFor(const QString& characterId) const;
    // Adds or replaces (by name) a preset of the character.
    void save(const QString& characterId, const ParameterPreset& preset);
    void remove(const QString& characterId, const QString& name);

private:
    QList<ParameterPreset> userPresets(const QString& characterId) const;
    void write(const QString& characterId, const QList<ParameterPreset>& presets);

    QSettings& store_;
};

} // namespace echoforge::ui
