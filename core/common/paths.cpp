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

} // namespace

AppPaths AppPaths::resolveDefault() {
    return resolve(Settings{});
}

AppPaths AppPaths::resolve(const Settings& settings) {
    AppPaths p;
    const QString overrideDir = envPath("ECHOFORGE_DATA_DIR");
    if (!overrideDir.isEmpty()) {
        p.dataDir = QDir(overrideDir).absolutePath();
        p.cacheDir = QDir(p.dataDir).filePath("cache");
        p.settingsFile = QDir(p.dataDir).filePath("settings.ini");
    } else {
        p.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (p.dataDir.isEmpty())
            p.dataDir = QDir::home().filePath(".local/share/echoforge");
        const QString cacheRoot = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
        p.cacheDir = cacheRoot.isEmpty() ? QDir(p.dataDir).filePath("cache") : cacheRoot;
    }
    const QDir data(p.dataDir);
    p.voicesDir = data.filePath("voices");
    p.historyDir = data.filePath("history");
    p.logsDir = data.filePath("logs");

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
    for (const QString& dir : {paths.dataDir, paths.voicesDir, paths.historyDir, paths.cacheDir, paths.logsDir,
                               paths.modelsDir}) {
        const QFileInfo info(dir);
        if (info.exists() && !info.isDir())
            throw Error(QStringLiteral("%1 is a file, but EchoForge needs a folder there; move the file away (or point "
                                       "ECHOFORGE_DATA_DIR elsewhere) and try again.").arg(dir));
    }
}

void AppPaths::ensureExist() const {
    refuseFilesInPlaceOfFolders(*this);
    for (const QString& dir : {dataDir, voicesDir, historyDir, cacheDir, logsDir}) {
        if (!QDir().mkpath(dir))
            throw Error(QStringLiteral("Cannot create the folder %1; check that it is writable.").arg(dir));
    }
}

std::unique_ptr<QSettings> AppPaths::openSettings() const {
    if (!settingsFile.isEmpty())
        return std::make_unique<QSettings>(settingsFile, QSettings::IniFormat);
    return std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, "EchoForge", "EchoForge");
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
