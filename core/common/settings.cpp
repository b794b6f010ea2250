#include "core/common/settings.h"
#include "core/common/settings_check.h"

#include <cmath>
#include <optional>
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
    store("hub/token", s.hubToken);
    store("generation/temperature", s.temperature);
    store("generation/topK", s.topK);
    store("generation/maxSeconds", s.maxSeconds);
    store("generation/pieceStreams", s.pieceStreams);
    store("generation/jobStreams", s.jobStreams);
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

namespace {

// A stored value for `field`'s type, or nullopt when it cannot be used: not of the type (a
// hand-edited file), or a number that is NaN or infinite, which QString::toDouble accepts and no
// range check written with < and > catches.
template <typename T>
std::optional<T> usableValue(const QVariant& v) {
    bool ok = true;
    if constexpr (std::is_same_v<T, int>) {
        const int n = v.toInt(&ok);
        return ok ? std::optional<T>(n) : std::nullopt;
    } else if constexpr (std::is_same_v<T, bool>) {
        // QSettings' INI files give "true" and "false" back as strings.
        const QString text = v.toString().trimmed().toLower();
        if (text == "true" || text == "1") return true;
        if (text == "false" || text == "0") return false;
        return std::nullopt;
    } else if constexpr (std::is_same_v<T, double>) {
        const double x = v.toDouble(&ok);
        return ok && std::isfinite(x) ? std::optional<T>(x) : std::nullopt;
    } else {
        return v.toString();
    }
}

} // namespace

Settings Settings::load(QSettings& qs) {
    Settings s;
    visit([&qs](const char* key, auto& field) {
        using T = std::decay_t<decltype(field)>;
        const QVariant v = qs.value(key);
        if (!v.isValid())
            return;
        // An unusable value keeps the default rather than becoming 0 (unusableStoredSettings says so).
        if (const auto value = usableValue<T>(v))
            field = *value;
    }, s);
    return s;
}

QStringList unusableStoredSettings(QSettings& qs) {
    QStringList problems;
    Settings defaults;
    visit([&qs, &problems](const char* key, auto& field) {
        using T = std::decay_t<decltype(field)>;
        const QVariant v = qs.value(key);
        if (!v.isValid() || usableValue<T>(v))
            return;
        problems << QStringLiteral("The setting %1 is '%2', which is not %3; the default %4 is used instead.")
                        .arg(QLatin1String(key), v.toString(),
                             std::is_same_v<T, int> ? QStringLiteral("a whole number")
                             : std::is_same_v<T, bool> ? QStringLiteral("true or false") : QStringLiteral("a finite number"),
                             QVariant(field).toString());
    }, defaults);
    return problems;
}

void Settings::save(QSettings& qs) const {
    visit([&qs](const char* key, const auto& field) { qs.setValue(key, field); }, *this);
    qs.sync();
}

} // namespace echoforge
