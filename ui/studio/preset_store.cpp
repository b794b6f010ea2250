#include "ui/studio/preset_store.h"

#include <cmath>

#include <QSettings>

#include "core/common/logging.h"

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
        bool temperatureOk = false, topKOk = false;
        p.temperature = store_.value("temperature", p.temperature).toDouble(&temperatureOk);
        p.topK = store_.value("topK", p.topK).toInt(&topKOk);
        // A hand-edited preset with NaN, infinity or a word for a number is not offered.
        const bool usable = temperatureOk && std::isfinite(p.temperature) && p.temperature > 0 && topKOk && p.topK >= 1;
        if (!usable)
            logger(LogArea::Ui)->warn("preset '{}' of {} skipped: its temperature or top-K is not a usable number",
                                      p.name, characterId);
        if (!p.name.isEmpty() && usable) out << p;
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
