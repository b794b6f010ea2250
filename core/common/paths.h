#pragma once
// Where EchoForge keeps its data. From QStandardPaths, overridable by ECHOFORGE_DATA_DIR (all data,
// settings included, so tests never touch the user's home) and ECHOFORGE_MODEL_DIR (models).

#include <memory>

#include <QString>

class QSettings;

namespace echoforge {

struct Settings;

struct AppPaths {
    QString dataDir;
    QString voicesDir;    // user characters, one folder each
    QString anchorsDir;   // each character's kept CSM voice (anchor), built-in ones included
    QString lexiconsDir;  // pronunciation lexicons: the library's and one per character
    QString historyDir;   // history database and finished audio
    QString cacheDir;     // samples, clone codes, finished-audio cache
    QString modelsDir;    // csm/, mimi/, tokenizer/
    QString logsDir;
    QString settingsFile; // empty: the platform's QSettings location

    // Resolves the paths from the environment and the settings' model folder, creating none.
    static AppPaths resolve(const Settings& settings);
    // The same, from the environment alone (the settings are not loaded yet).
    static AppPaths resolveDefault();

    // Creates every folder; throws echoforge::Error naming the folder that cannot be made.
    void ensureExist() const;

    // The settings store for these paths.
    std::unique_ptr<QSettings> openSettings() const;
};

// The app's settings as stored, or the defaults.
Settings loadSettings(const AppPaths& paths);

} // namespace echoforge
