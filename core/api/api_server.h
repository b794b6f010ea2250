#pragma once
// The HTTP API over Qt HttpServer: echoforge-server runs it, and the studio can too. Every
// request goes through the same gate before a route sees it:
//   Host check (loopback binding) -> body size -> route (404/405) -> token -> rate limit -> handler
// and every refusal is {"error": {"code", "message"}} with its status, logged to the security log.
// Handlers (routes_*.cpp) parse with request_checks.h, call core and map Error kinds to statuses;
// they hold no generation logic.

#include <chrono>
#include <memory>

#include <QAbstractHttpServer>
#include <QHash>

#include "core/api/api_config.h"
#include "core/api/api_tasks.h"
#include "core/api/rate_limiter.h"
#include "core/api/route.h"
#include "core/common/paths.h"
#include "core/common/settings.h"

namespace echoforge {
class TaskEngine;
class VoiceLibrary;
}

namespace echoforge::api {

// What the handlers reach; all borrowed except what the server makes itself.
struct ApiServices {
    TaskEngine* tasks = nullptr;
    VoiceLibrary* library = nullptr;
    AppPaths paths;
    Settings settings;
};

class ApiServer : public QAbstractHttpServer {
    Q_OBJECT
public:
    ApiServer(ApiServices services, ApiConfig config, QObject* parent = nullptr);
    ~ApiServer() override;

    // Listens on the configured address and port; returns the port, 0 on failure (in use).
    quint16 start();
    quint16 port() const { return m_port; }

    const QList<Route>& routes() const { return m_routes; }
    ApiTasks& tasks() { return *m_tasks; }
    const ApiServices& services() const { return m_services; }
    const ApiConfig& config() const { return m_config; }
    // A new token from now on (Settings → API → Regenerate); requests with the old one get 401.
    void setToken(const QString& token) { m_config.token = token; }
    double uptimeSeconds() const;
    // Open event streams and streamed speech responses of a client, for its limit.
    int openStreams(const QString& client) const { return m_openStreams.value(client); }
    void streamOpened(const QString& client) { ++m_openStreams[client]; }
    void streamClosed(const QString& client);

    // The parent of what outlives a handler (streams, waiters for a job): it goes first when the
    // server does, so none of them runs while the server's members are being destroyed.
    QObject* scope() const { return m_scope.get(); }

    // Writes the refusal to the security log: client, method, path, status, reason; never a token.
    void logRefusal(const HttpRequest& request, const ApiError& error) const;

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    void dispatch(const std::shared_ptr<Exchange>& exchange);
    HeaderList corsHeaders(const HttpRequest& request) const;

    ApiServices m_services;
    ApiConfig m_config;
    QList<Route> m_routes;
    std::unique_ptr<ApiTasks> m_tasks;
    RateLimiter m_limiter;
    QHash<QString, int> m_openStreams;
    std::chrono::steady_clock::time_point m_started;
    quint16 m_port = 0;
    std::unique_ptr<QObject> m_scope = std::make_unique<QObject>();   // last: destroyed first
};

} // namespace echoforge::api
