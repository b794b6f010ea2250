#pragma once
// Where EchoForge keeps its files, after the XDG base directory conventions:
//   settings          $XDG_CONFIG_HOME/echoforge/settings.ini   (~/.config/echoforge)
//   characters, voice anchors, history (the user's data)
//                     $XDG_DATA_HOME/echoforge                  (~/.local/share/echoforge)
//   caches            $XDG_CACHE_HOME/echoforge                 (~/.cache/echoforge)
//   logs              $XDG_STATE_HOME/echoforge/logs            (~/.local/state/echoforge/logs)
// ECHOFORGE_DATA_DIR puts all of them in one folder (tests and servers use it so nothing touches a
// home folder); ECHOFORGE_MODEL_DIR (or the model folder setting) says where the models are.

#include <memory>

#include <QString>

class QSettings;

namespace echoforge {

struct Settings;

struct AppPaths {
    QString configDir;    // the settings file
    QString dataDir;      // the user's data: everything below it but the models is backed up
    QString voicesDir;    // user characters, one folder each
    QString anchorsDir;   // each character's kept CSM voice (anchor), built-in ones included
    QString lexiconsDir;  // pronunciation lexicons: the library's and one per character
    QString historyDir;   // history database and finished audio
    QString cacheDir;     // samples, clone codes, finished-audio cache
    QString modelsDir;    // csm/, mimi/, tokenizer/
    QString logsDir;
    QString settingsFile; // configDir/settings.ini

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
