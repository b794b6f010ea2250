#pragma once
// A route of the API and the exchange its handler answers. Routes are a table (method, pattern,
// handler), so the router, the OpenAPI document and the docs test read the same list. Patterns
// name path parameters in braces: "/api/tasks/{task_id}/audio".

#include <functional>
#include <memory>

#include <QPointer>
#include <QStringList>
#include <QTcpSocket>

#include "core/api/http_message.h"

class QHttpServerResponder;

namespace echoforge::api {

class ApiServer;

// A response written piece by piece with chunked transfer encoding (streamed audio, server-sent
// events). Writes after the client left are dropped; closed() fires once when it leaves.
class ResponseStream : public QObject {
    Q_OBJECT
public:
    ResponseStream(std::unique_ptr<QHttpServerResponder> responder, int status, const QByteArray& contentType,
                   const HeaderList& headers);
    ~ResponseStream() override;

    void write(const QByteArray& bytes);
    void end();                     // the last chunk; the connection may carry the next request
    void abort();                   // drops the connection without the last chunk: the client sees
                                    // a broken transfer, not a short file that looks whole
    bool open() const { return m_socket && !m_ended; }
    // end() also closes the connection (the request said "Connection: close").
    void closeWhenEnded() { m_closeWhenEnded = true; }

Q_SIGNALS:
    void closed();                  // the client went away before end()

private:
    std::unique_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_ended = false;
    bool m_closeWhenEnded = false;
};

// One request and the means to answer it, now or later (an answer that waits for a job).
class Exchange {
public:
    Exchange(ApiServer* server, HttpRequest request, std::unique_ptr<QHttpServerResponder> responder);
    ~Exchange();

    ApiServer& server() const { return *m_server; }
    const HttpRequest& request() const { return m_request; }
    QStringList args;               // the path parameters, in pattern order

    void respond(const HttpResponse& response);
    void fail(const ApiError& error);
    // Starts a chunked response; the exchange can answer nothing else afterwards.
    ResponseStream* stream(int status, const QByteArray& contentType, HeaderList headers = {});
    bool answered() const { return !m_responder; }
    HeaderList extraHeaders;        // added to whatever is answered (CORS)

private:
    bool connected() const;

    ApiServer* m_server;
    HttpRequest m_request;
    std::unique_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;   // Qt deletes the socket when the client leaves
};

using Handler = std::function<void(const std::shared_ptr<Exchange>&)>;

struct Route {
    QByteArray method;
    QString pattern;
    Handler handler;
    QString summary;                // one line, for the OpenAPI document
    bool needsToken = true;
    bool upload = false;            // the body may be as large as an upload (multipart clip)

    // The path parameters when `path` matches the pattern.
    std::optional<QStringList> match(const QString& path) const;
};

// Each routes_*.cpp adds its routes.
void addSystemRoutes(QList<Route>& routes);
void addVoiceRoutes(QList<Route>& routes);
void addTaskRoutes(QList<Route>& routes);
void addOpenAiRoutes(QList<Route>& routes);

} // namespace echoforge::api
