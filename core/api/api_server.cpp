#include "core/api/api_server.h"

#include <QDir>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QMetaEnum>
#include <QTcpSocket>

#include "core/api/request_checks.h"
#include "core/common/logging.h"

namespace echoforge::api {
namespace {

QByteArray methodName(QHttpServerRequest::Method m) {
    switch (m) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Head: return "HEAD";
    case QHttpServerRequest::Method::Options: return "OPTIONS";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    case QHttpServerRequest::Method::Connect: return "CONNECT";
    case QHttpServerRequest::Method::Trace: return "TRACE";
    default: return "UNKNOWN";
    }
}

void writeHead(QHttpServerResponder& r, int status, const QByteArray& contentType, const HeaderList& headers) {
    r.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    r.writeHeader("Content-Type", contentType);
    for (const auto& [key, value] : headers)
        r.writeHeader(key, value);
}

} // namespace

// --- ResponseStream ---------------------------------------------------------------------------

ResponseStream::ResponseStream(std::unique_ptr<QHttpServerResponder> responder, int status,
                               const QByteArray& contentType, const HeaderList& headers)
    : m_responder(std::move(responder)), m_socket(m_responder ? m_responder->socket() : nullptr) {
    if (!m_responder) {
        m_ended = true;
        return;
    }
    writeHead(*m_responder, status, contentType, headers);
    m_responder->writeHeader("Transfer-Encoding", "chunked");
    m_responder->writeHeader("Cache-Control", "no-store");
    m_responder->writeBody(QByteArray());   // ends the headers: the client sees them at once
    if (m_socket)
        connect(m_socket, &QTcpSocket::disconnected, this, [this] {
            if (!m_ended)
                Q_EMIT closed();
        });
}

ResponseStream::~ResponseStream() = default;

void ResponseStream::write(const QByteArray& bytes) {
    if (!open() || bytes.isEmpty() || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_responder->writeBody(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
}

void ResponseStream::end() {
    if (open() && m_socket->state() == QAbstractSocket::ConnectedState) {
        m_responder->writeBody("0\r\n\r\n");
        if (m_closeWhenEnded)
            m_socket->disconnectFromHost();   // after what is written has left
    }
    m_ended = true;
}

void ResponseStream::abort() {
    m_ended = true;
    if (m_socket)
        m_socket->abort();
}

// --- Exchange -----------------------------------------------------------------------------------

Exchange::Exchange(ApiServer* server, HttpRequest request, std::unique_ptr<QHttpServerResponder> responder)
    : m_server(server), m_request(std::move(request)), m_responder(std::move(responder)),
      m_socket(m_responder->socket()) {}

Exchange::~Exchange() {
    // A handler that forgot to answer (a defect) still leaves the client an answer.
    if (m_responder && connected())
        fail(ApiError(500, "internal", "The server did not answer this request; please report it."));
}

bool Exchange::connected() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }

void Exchange::respond(const HttpResponse& response) {
    if (!m_responder)
        return;
    const auto responder = std::move(m_responder);
    if (!connected())
        return;
    const bool close = m_request.wantsClose();
    writeHead(*responder, response.status, response.contentType, response.headers + extraHeaders);
    responder->writeHeader("Content-Length", QByteArray::number(response.body.size()));
    if (close)
        responder->writeHeader("Connection", "close");
    responder->writeBody(m_request.method == "HEAD" ? QByteArray() : response.body);
    if (close)
        m_socket->disconnectFromHost();   // after what is written has left
}

void Exchange::fail(const ApiError& error) {
    if (error.status() >= 400 && error.status() < 500)
        m_server->logRefusal(m_request, error);
    respond(errorResponse(error));
}

ResponseStream* Exchange::stream(int status, const QByteArray& contentType, HeaderList headers) {
    if (!m_responder)
        return nullptr;
    if (!connected()) {   // the client left: a stream that is closed from the start
        m_responder.reset();
        auto* dead = new ResponseStream(nullptr, status, contentType, {});
        dead->setParent(m_server->scope());
        return dead;
    }
    if (m_request.wantsClose())
        headers.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
    auto* s = new ResponseStream(std::move(m_responder), status, contentType, headers + extraHeaders);
    if (m_request.wantsClose())
        s->closeWhenEnded();
    s->setParent(m_server->scope());   // freed with the server at the latest; handlers deleteLater() it on end
    return s;
}

// --- Route --------------------------------------------------------------------------------------

std::optional<QStringList> Route::match(const QString& path) const {
    const QStringList want = pattern.split('/');
    const QStringList have = path.split('/');
    if (want.size() != have.size())
        return std::nullopt;
    QStringList args;
    for (qsizetype i = 0; i < want.size(); ++i) {
        if (want[i].startsWith('{')) {
            if (have[i].isEmpty())
                return std::nullopt;
            args << have[i];
        } else if (want[i] != have[i]) {
            return std::nullopt;
        }
    }
    return args;
}

// --- ApiServer ----------------------------------------------------------------------------------

ApiServer::ApiServer(ApiServices services, ApiConfig config, QObject* parent)
    : QAbstractHttpServer(parent), m_services(std::move(services)), m_config(std::move(config)),
      m_tasks(std::make_unique<ApiTasks>(m_services.tasks, QDir(m_services.paths.cacheDir).filePath("api-takes"),
                                         m_config.limits.retainedTasks)),
      m_limiter(m_config.limits.requestsPerSecond, m_config.limits.burst), m_started(std::chrono::steady_clock::now()) {
    addSystemRoutes(m_routes);
    addVoiceRoutes(m_routes);
    addTaskRoutes(m_routes);
    addOpenAiRoutes(m_routes);
}

ApiServer::~ApiServer() = default;

quint16 ApiServer::start() {
    if (m_config.token.isEmpty())
        throw Error(ErrorKind::InvalidInput, "The API needs a token; none was given.");
    m_port = listen(m_config.address, m_config.port);
    if (m_port == 0)
        return 0;
    if (!m_config.loopbackOnly())
        logger(LogArea::Security)->warn("the API listens on {} port {}: other machines can reach it (with the token)",
                                        m_config.address.toString(), m_port);
    logger(LogArea::Api)->info("API listening on http://{}:{}", m_config.address.toString(), m_port);
    return m_port;
}

double ApiServer::uptimeSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
}

void ApiServer::streamClosed(const QString& client) {
    if (--m_openStreams[client] <= 0)
        m_openStreams.remove(client);
}

void ApiServer::logRefusal(const HttpRequest& request, const ApiError& error) const {
    logger(LogArea::Security)->warn("refused {} {} from {}: {} {} ({})", QString::fromLatin1(request.method),
                                    request.path.left(200), request.client, error.status(),
                                    QString::fromLatin1(error.code()), error.message());
}

HeaderList ApiServer::corsHeaders(const HttpRequest& request) const {
    const QByteArray origin = request.header("Origin");
    if (origin.isEmpty() || !m_config.corsOrigins.contains(QString::fromUtf8(origin)))
        return {};
    return {{"Access-Control-Allow-Origin", origin}, {"Vary", "Origin"}};
}

bool ApiServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) {
    HttpRequest r;
    r.method = methodName(request.method());
    r.path = request.url().path(QUrl::FullyDecoded);
    r.query = request.query();
    r.headers = request.headers();
    r.body = request.body();
    r.client = request.remoteAddress().toString();
    auto responder = std::make_unique<QHttpServerResponder>(makeResponder(request, socket));
    auto exchange = std::make_shared<Exchange>(this, std::move(r), std::move(responder));
    exchange->extraHeaders = corsHeaders(exchange->request());
    dispatch(exchange);
    return true;   // every request is answered here, refusals included
}

void ApiServer::missingHandler(const QHttpServerRequest&, QTcpSocket*) {}

void ApiServer::dispatch(const std::shared_ptr<Exchange>& exchange) {
    const HttpRequest& request = exchange->request();
    try {
        if (m_config.loopbackOnly() && !isLoopbackHost(request.header("Host")))
            throw ApiError(403, "bad_host", "This server answers only requests addressed to 127.0.0.1, ::1 or localhost.");

        // CORS preflight: answered only for a configured origin.
        if (request.method == "OPTIONS" && !exchange->extraHeaders.isEmpty()) {
            exchange->respond({204, "text/plain", {}, {{"Access-Control-Allow-Methods", "GET, POST, DELETE"},
                                                        {"Access-Control-Allow-Headers", "Authorization, Content-Type, Range"},
                                                        {"Access-Control-Max-Age", "600"}}});
            return;
        }

        const Route* route = nullptr;
        QStringList allowed;
        for (const Route& candidate : m_routes) {
            const auto args = candidate.match(request.path);
            if (!args)
                continue;
            allowed << QString::fromLatin1(candidate.method);
            if (candidate.method == request.method || (request.method == "HEAD" && candidate.method == "GET")) {
                route = &candidate;
                exchange->args = *args;
                break;
            }
        }
        if (!route && allowed.isEmpty())
            throw ApiError(404, "not_found", QStringLiteral("There is no route %1; GET /api/openapi.json lists them.")
                                                 .arg(request.path.left(100)));
        if (!route)
            throw ApiError(405, "method_not_allowed",
                           QStringLiteral("%1 does not take %2; it takes %3.")
                               .arg(request.path.left(100), QString::fromLatin1(request.method), allowed.join(", ")),
                           {{"Allow", allowed.join(", ").toLatin1()}});

        const qint64 maxBody = route->upload ? m_config.limits.maxUploadBytes : m_config.limits.maxBodyBytes;
        if (request.body.size() > maxBody)
            throw ApiError(413, "limit", QStringLiteral("The body has %1 bytes, more than the limit of %2.")
                                             .arg(request.body.size()).arg(maxBody));

        if (route->needsToken) {
            const QByteArray token = bearerToken(request.header("Authorization"));
            if (token.isEmpty())
                throw ApiError(401, "unauthorized", "Send the API token as \"Authorization: Bearer <token>\".",
                               {{"WWW-Authenticate", "Bearer"}});
            if (!constantTimeEquals(token, m_config.token.toUtf8()))
                throw ApiError(401, "unauthorized", "The API token is wrong.", {{"WWW-Authenticate", "Bearer"}});
            // Counted after the token: a stranger cannot use up a client's requests.
            if (const int wait = m_limiter.take(request.client))
                throw ApiError(429, "rate_limited",
                               QStringLiteral("Too many requests; try again in %1 s.").arg(wait),
                               {{"Retry-After", QByteArray::number(wait)}});
        }
        route->handler(exchange);
    } catch (const ApiError& e) {
        exchange->fail(e);
    } catch (const Error& e) {
        exchange->fail(ApiError::fromError(e));
    } catch (const std::exception& e) {
        logger(LogArea::Api)->error("{} {} failed: {}", QString::fromLatin1(request.method), request.path, e.what());
        exchange->fail(ApiError(500, "internal", "The server failed on this request; the log says why."));
    }
}

} // namespace echoforge::api
