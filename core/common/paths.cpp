#include "core/common/paths.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include "core/common/error.h"
#include "core/common/settings.h"
#include "core/common/settings_check.h"

namespace echoforge {
namespace {

QString envPath(const char* name) {
    const QByteArray value = qgetenv(name);
    return value.isEmpty() ? QString() : QDir::cleanPath(QString::fromLocal8Bit(value));
}

// An XDG base folder (Qt reads $XDG_..._HOME) with echoforge/ below it. The Generic* locations:
// Qt's App* ones would add the organisation's name (~/.local/share/EchoForge/echoforge).
QString xdgFolder(QStandardPaths::StandardLocation location) {
    return QDir(QStandardPaths::writableLocation(location)).filePath(QStringLiteral("echoforge"));
}

// Qt 6.4 has no StateLocation: $XDG_STATE_HOME, by default ~/.local/state.
QString xdgStateFolder() {
    const QString base = envPath("XDG_STATE_HOME");
    return QDir(base.isEmpty() ? QDir::home().filePath(QStringLiteral(".local/state")) : base).filePath(QStringLiteral("echoforge"));
}

} // namespace

AppPaths AppPaths::resolveDefault() {
    return resolve(Settings{});
}

AppPaths AppPaths::resolve(const Settings& settings) {
    AppPaths p;
    const QString overrideDir = envPath("ECHOFORGE_DATA_DIR");
    if (!overrideDir.isEmpty()) {
        p.dataDir = QDir(overrideDir).absolutePath();
        p.configDir = p.dataDir;
        p.cacheDir = QDir(p.dataDir).filePath("cache");
        p.logsDir = QDir(p.dataDir).filePath("logs");
    } else {
        p.configDir = xdgFolder(QStandardPaths::GenericConfigLocation);
        p.dataDir = xdgFolder(QStandardPaths::GenericDataLocation);
        p.cacheDir = xdgFolder(QStandardPaths::GenericCacheLocation);
        p.logsDir = QDir(xdgStateFolder()).filePath("logs");
    }
    p.settingsFile = QDir(p.configDir).filePath("settings.ini");
    const QDir data(p.dataDir);
    p.voicesDir = data.filePath("voices");
    p.anchorsDir = data.filePath("anchors");
    p.lexiconsDir = data.filePath("lexicons");
    p.historyDir = data.filePath("history");

    const QString envModels = envPath("ECHOFORGE_MODEL_DIR");
    if (!envModels.isEmpty())
        p.modelsDir = QDir(envModels).absolutePath();
    else if (!settings.modelDir.isEmpty())
        p.modelsDir = QDir(settings.modelDir).absolutePath();
    else
        p.modelsDir = data.filePath("models");
    return p;
}

void refuseFilesInPlaceOfFolders(const AppPaths& paths) {
    for (const QString& dir : {paths.configDir, paths.dataDir, paths.voicesDir, paths.historyDir, paths.cacheDir,
                               paths.logsDir, paths.modelsDir}) {
        const QFileInfo info(dir);
        if (info.exists() && !info.isDir())
            throw Error(ErrorKind::Io, QStringLiteral("%1 is a file, but EchoForge needs a folder there; move the file away (or point "
                                       "ECHOFORGE_DATA_DIR elsewhere) and try again.").arg(dir));
    }
}

void AppPaths::ensureExist() const {
    refuseFilesInPlaceOfFolders(*this);
    for (const QString& dir : {configDir, dataDir, voicesDir, historyDir, cacheDir, logsDir}) {
        if (!QDir().mkpath(dir))
            throw Error(QStringLiteral("Cannot create the folder %1; check that it is writable.").arg(dir));
    }
}

std::unique_ptr<QSettings> AppPaths::openSettings() const {
    return std::make_unique<QSettings>(settingsFile, QSettings::IniFormat);
}

Settings loadSettings(const AppPaths& paths) {
    auto store = paths.openSettings();
    return Settings::load(*store);
}

QStringList unusableStoredSettings(const AppPaths& paths) {
    auto store = paths.openSettings();
    return unusableStoredSettings(*store);
}

} // namespace echoforge
