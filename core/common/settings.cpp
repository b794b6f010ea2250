#include "core/common/settings.h"

#include <type_traits>

#include <QSettings>

namespace echoforge {

// One table drives both load and save, so a setting cannot be saved under one key and read
// under another.
template <typename Store, typename SettingsRef>
static void visit(Store&& store, SettingsRef& s) {
    store("model/dir", s.modelDir);
    store("model/engine", s.engine);
    store("model/device", s.device);
    store("model/threads", s.threads);
    store("model/precision", s.precision);
    store("model/idleUnloadMinutes", s.modelIdleUnloadMinutes);
    store("generation/temperature", s.temperature);
    store("generation/topK", s.topK);
    store("generation/maxSeconds", s.maxSeconds);
    store("limits/queue", s.queueLimit);
    store("limits/textCharacters", s.textLimit);
    store("limits/audioSeconds", s.audioLimitSeconds);
    store("limits/cacheMegabytes", s.cacheLimitMegabytes);
    store("audio/loudnessTargetLufs", s.loudnessTargetLufs);
    store("ui/theme", s.theme);
    store("output/dir", s.outputDir);
    store("log/level", s.logLevel);
    store("api/enabled", s.apiEnabled);
    store("api/port", s.apiPort);
    store("api/bind", s.apiBind);
}

Settings Settings::load(QSettings& qs) {
    Settings s;
    visit([&qs](const char* key, auto& field) {
        using T = std::decay_t<decltype(field)>;
        const QVariant v = qs.value(key);
        if (!v.isValid())
            return;
        // A value of the wrong type (a hand-edited file) keeps the default rather than becoming 0.
        bool ok = true;
        if constexpr (std::is_same_v<T, int>) {
            const int n = v.toInt(&ok);
            if (ok) field = n;
        } else if constexpr (std::is_same_v<T, bool>) {
            field = v.toBool();
        } else if constexpr (std::is_same_v<T, double>) {
            const double x = v.toDouble(&ok);
            if (ok) field = x;
        } else {
            field = v.toString();
        }
    }, s);
    return s;
}

void Settings::save(QSettings& qs) const {
    visit([&qs](const char* key, const auto& field) { qs.setValue(key, field); }, *this);
    qs.sync();
}

} // namespace echoforge
