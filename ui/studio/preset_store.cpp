#include "ui/studio/preset_store.h"

#include <QSettings>

namespace echoforge::ui {
namespace {

QString groupFor(const QString& characterId) { return QStringLiteral("presets/") + characterId; }

} // namespace

QList<ParameterPreset> builtInPresets() {
    return {
        {QObject::tr("Balanced"), 0.9, 50, true},
        {QObject::tr("Steady"), 0.6, 20, true},      // fewer surprises, for long narration
        {QObject::tr("Expressive"), 1.2, 120, true}, // wider sampling, livelier delivery
    };
}

QList<ParameterPreset> PresetStore::userPresets(const QString& characterId) const {
    QList<ParameterPreset> out;
    const int n = store_.beginReadArray(groupFor(characterId));
    for (int i = 0; i < n; ++i) {
        store_.setArrayIndex(i);
        ParameterPreset p;
        p.name = store_.value("name").toString();
        p.temperature = store_.value("temperature", p.temperature).toDouble();
        p.topK = store_.value("topK", p.topK).toInt();
        if (!p.name.isEmpty()) out << p;
    }
    store_.endArray();
    return out;
}

void PresetStore::write(const QString& characterId, const QList<ParameterPreset>& presets) {
    store_.remove(groupFor(characterId));
    store_.beginWriteArray(groupFor(characterId), int(presets.size()));
    for (int i = 0; i < presets.size(); ++i) {
        store_.setArrayIndex(i);
        store_.setValue("name", presets[i].name);
        store_.setValue("temperature", presets[i].temperature);
        store_.setValue("topK", presets[i].topK);
    }
    store_.endArray();
    store_.sync();
}

QList<ParameterPreset> PresetStore::presetsFor(const QString& characterId) const {
    return builtInPresets() + userPresets(characterId);
}

void PresetStore::save(const QString& characterId, const ParameterPreset& preset) {
    auto presets = userPresets(characterId);
    presets.removeIf([&](const ParameterPreset& p) { return p.name == preset.name; });
    ParameterPreset stored = preset;
    stored.builtIn = false;
    presets << stored;
    write(characterId, presets);
}

void PresetStore::remove(const QString& characterId, const QString& name) {
    auto presets = userPresets(characterId);
    presets.removeIf([&](const ParameterPreset& p) { return p.name == name; });
    write(characterId, presets);
}

} // namespace echoforge::ui
