#pragma once
// How the API server listens and what it accepts. Defaults are safe for a desktop: loopback only,
// a token on every route but health, small bodies, a few jobs per client.

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace echoforge::api {

struct ApiLimits {
    qint64 maxBodyBytes = 1 << 20;              // JSON bodies (413 beyond)
    qint64 maxUploadBytes = 20 << 20;           // a clone clip in a multipart body
    double maxUploadSeconds = 60.0;             // the clip's length before trimming
    int maxTextCharacters = 10000;              // per request (the settings' text limit)
    double maxAudioSeconds = 600;               // max_seconds a request may ask for
    int jobsPerClient = 8;                      // queued or running at once (429 beyond)
    int eventStreamsPerClient = 8;              // open SSE or streaming speech responses
    double requestsPerSecond = 20;              // token bucket refill, per client
    double burst = 60;                          // token bucket size, per client
    int retainedTasks = 500;                    // finished tasks kept for GET /api/tasks
};

struct ApiConfig {
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8765;                        // 0: any free port (tests)
    QString token;                              // the bearer token every route but health needs
    QStringList corsOrigins;                    // empty: no CORS headers at all
    ApiLimits limits;

    bool loopbackOnly() const { return address.isLoopback(); }
};

} // namespace echoforge::api
