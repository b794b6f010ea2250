#pragma once
// What the studio window is given by main(): the services it shows and drives. Everything is
// borrowed and outlives the window; the window owns only its widgets and their controllers.

#include "core/common/paths.h"
#include "core/common/settings.h"

class QSettings;

namespace echoforge {
class SampleCache;
class TaskEngine;
class VoiceLibrary;
}

namespace echoforge::api {
class ApiHost;
}

namespace echoforge::ui {

class AudioOutput;
class ThemeManager;

struct StudioServices {
    AppPaths paths;
    Settings settings;
    QSettings* uiState = nullptr;        // filters, presets, window layout
    VoiceLibrary* library = nullptr;
    TaskEngine* tasks = nullptr;
    SampleCache* samples = nullptr;
    ThemeManager* theme = nullptr;       // null: the theme cannot be changed (tests)
    AudioOutput* output = nullptr;       // the main player's
    AudioOutput* sampleOutput = nullptr; // the gallery samples'
    api::ApiHost* api = nullptr;         // Settings → API; null: not offered (tests)
};

} // namespace echoforge::ui
