#include "core/api/http_message.h"

#include <QJsonDocument>

namespace echoforge::api {

QByteArray HttpRequest::header(QByteArrayView name) const {
    for (const auto& [key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

bool HttpRequest::wantsClose() const {
    for (const QByteArray& token : header("Connection").split(','))
        if (token.trimmed().compare("close", Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

HttpResponse HttpResponse::json(const QJsonObject& object, int status) {
    return {status, "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact), {}};
}

HttpResponse HttpResponse::json(const QJsonArray& array, int status) {
    return {status, "application/json", QJsonDocument(array).toJson(QJsonDocument::Compact), {}};
}

ApiError::ApiError(int status, QByteArray code, const QString& message, HeaderList headers)
    : std::runtime_error(message.toStdString()), m_status(status), m_code(std::move(code)), m_headers(std::move(headers)) {}

ApiError ApiError::fromError(const Error& error) {
    return ApiError(statusForKind(error.kind()), errorKindName(error.kind()), error.sentence());
}

int statusForKind(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InvalidInput: return 422;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Limit: return 413;
    case ErrorKind::NotInstalled: return 503;
    case ErrorKind::Busy: return 503;
    case ErrorKind::Io: return 500;
    case ErrorKind::Internal: return 500;
    }
    return 500;
}

HttpResponse errorResponse(const ApiError& error) {
    HttpResponse r = HttpResponse::json(
        QJsonObject{{"error", QJsonObject{{"code", QString::fromLatin1(error.code())}, {"message", error.message()}}}},
        error.status());
    r.headers = error.headers();
    return r;
}

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    }
    return "Unknown";
}

} // namespace echoforge::api
