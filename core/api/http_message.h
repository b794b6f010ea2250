#pragma once
// The API's view of an HTTP exchange as plain values, with no socket behind them: a request as
// Qt HttpServer parsed it, a response to write, and ApiError, the refusal every check throws. The
// checks in request_checks.h work on these alone, so a fuzzer or a test calls them directly.

#include <stdexcept>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include "core/common/error.h"

namespace echoforge::api {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct HttpRequest {
    QByteArray method;        // "GET", "POST", ... upper case
    QString path;             // percent-decoded, without the query
    QUrlQuery query;
    HeaderList headers;       // as received
    QByteArray body;
    QString client;           // the peer's address, for rate limits and the security log

    // The first header named `name`, case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const;
    // "Connection: close": the client reads until the server closes (HTTP/1.0 tools, bash's
    // /dev/tcp, `curl -H "Connection: close"`), so the answer ends the connection.
    bool wantsClose() const;
};

struct HttpResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    HeaderList headers;       // besides Content-Type and Content-Length

    static HttpResponse json(const QJsonObject& object, int status = 200);
    static HttpResponse json(const QJsonArray& array, int status = 200);
};

// A refusal: the status, a stable machine code and a sentence for a person. Thrown by the checks
// and handlers, written by the server as {"error": {"code": ..., "message": ...}}.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, QByteArray code, const QString& message, HeaderList headers = {});

    int status() const { return m_status; }
    const QByteArray& code() const { return m_code; }
    QString message() const { return QString::fromStdString(what()); }
    const HeaderList& headers() const { return m_headers; }

    // The answer to a core Error: its kind decides the status (statusForKind).
    static ApiError fromError(const Error& error);

private:
    int m_status;
    QByteArray m_code;
    HeaderList m_headers;
};

// invalid input 422, not found 404, limit 413, not installed 503, busy 503, I/O and internal 500.
int statusForKind(ErrorKind kind);

HttpResponse errorResponse(const ApiError& error);

// The reason phrase of a status the API uses ("Not Found"); "Unknown" for others.
QByteArray reasonPhrase(int status);

} // namespace echoforge::api
