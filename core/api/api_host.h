#pragma once
// The studio's switch for the API (Settings → API): starts, restarts or stops an ApiServer over
// the studio's own task engine and voices as the settings say, so jobs sent over HTTP appear in
// the studio's queue and history. Off by default; loopback unless another address is set.

#include <memory>

#include <QObject>

#include "core/common/paths.h"
#include "core/common/settings.h"

namespace echoforge {
class TaskEngine;
class VoiceLibrary;
}

namespace echoforge::api {

class ApiServer;

class ApiHost : public QObject {
    Q_OBJECT
public:
    // All borrowed; they outlive the host.
    ApiHost(TaskEngine* tasks, VoiceLibrary* library, AppPaths paths, QObject* parent = nullptr);
    ~ApiHost() override;

    // Serves the API as `settings` ask (apiEnabled, apiBind, apiPort). Returns the sentence that
    // says why it could not (port taken, bad address), empty when it is as asked.
    QString apply(const Settings& settings);

    bool running() const { return bool(m_server); }
    QString url() const;                       // http://127.0.0.1:8765, empty when off
    // The bearer token (made at the first call when there is none); ECHOFORGE_API_TOKEN wins.
    QString token() const;
    // A new token in the token file; a running server takes it at once.
    QString regenerateToken();

Q_SIGNALS:
    void stateChanged();

private:
    TaskEngine* m_tasks;
    VoiceLibrary* m_library;
    AppPaths m_paths;
    Settings m_applied;
    std::unique_ptr<ApiServer> m_server;
};

} // namespace echoforge::api
