// Fuzz target: the HTTP API's own checks of what a client sends (core/api/request_checks.h), over
// one request written as HTTP/1.1 text: request line, headers, blank line, body. Qt HttpServer's
// own parser is Qt's and is not fuzzed here; this target's small splitter only hands the checks
// the method, path, query, headers and body that the server's dispatch hands them
// (api_server.cpp), and runs what the route would run:
//   every request: Host (loopback only), Authorization (bearer token), Range, ?offset=&limit=;
//   /api/voices/<id> and /api/tasks/<id>: the path segment;
//   POST /api/generate and /v1/audio/speech: the JSON body and its fields;
//   POST /api/voices: the multipart/form-data body and the clone form's fields.
// A refusal must be an ApiError with a client-error status and a sentence; what is accepted must
// hold what the checks promise (a range inside the resource, a whole id, values in range).

#include <cmath>

#include <QUrl>
#include <QUrlQuery>

#include "core/api/request_checks.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace echoforge::api;

// Runs `check`; anything but an accepted value or an ApiError with a 4xx status this API uses and
// a sentence aborts.
template <class Check>
void expectAcceptedOrApiError(Check&& check) {
    try {
        check();
    } catch (const ApiError& e) {
        static const QList<int> statuses{400, 404, 413, 415, 416, 422};
        if (!statuses.contains(e.status()) || e.message().trimmed().isEmpty() || e.code().isEmpty()) {
            std::fprintf(stderr, "refusal without a usable status or sentence: %d %s '%s'\n", e.status(), e.code().constData(), e.what());
            std::abort();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "escaped as another exception: %s\n", e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "escaped as an unknown exception\n");
        std::abort();
    }
}

// "METHOD TARGET HTTP/1.1\r\nName: value\r\n...\r\n\r\nbody" into the server's HttpRequest.
HttpRequest splitRequest(const QByteArray& bytes) {
    HttpRequest r;
    qsizetype headEnd = bytes.indexOf("\r\n\r\n");
    const qsizetype bodyStart = headEnd < 0 ? bytes.size() : headEnd + 4;
    if (headEnd < 0)
        headEnd = bytes.size();
    const QList<QByteArray> lines = bytes.first(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    r.method = requestLine.value(0).toUpper();
    const QUrl url(QString::fromLatin1(requestLine.value(1)));
    r.path = url.path(QUrl::FullyDecoded);
    r.query = QUrlQuery(url);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            r.headers << qMakePair(lines[i].first(colon).trimmed(), lines[i].mid(colon + 1).trimmed());
    }
    r.body = bytes.mid(bodyStart);
    r.client = QStringLiteral("127.0.0.1");
    return r;
}

void checkHeaders(const HttpRequest& r) {
    const QByteArray host = r.header("Host").trimmed().toLower();
    if (isLoopbackHost(r.header("Host")) && !host.startsWith("127.0.0.1") && !host.startsWith("localhost") && !host.startsWith("[::1]"))
        std::abort();   // only loopback names may pass
    const QByteArray token = bearerToken(r.header("Authorization"));
    if (constantTimeEquals(token, "secret-token") != (token == "secret-token"))
        std::abort();
    for (const qint64 size : {qint64(0), qint64(1), qint64(1000), qint64(r.body.size())}) {
        expectAcceptedOrApiError([&] {
            if (const auto range = parseRange(r.header("Range"), size))
                if (range->first < 0 || range->first > range->last || range->last >= size)
                    std::abort();   // an accepted range lies inside the resource
        });
    }
    expectAcceptedOrApiError([&] {
        const Paging p = parsePaging(r.query);
        if (p.offset < 0 || p.limit < 1 || p.limit > 200)
            std::abort();
    });
}

void checkRoute(const HttpRequest& r, const ApiLimits& limits) {
    const QStringList segments = r.path.split('/');   // "", "api", "voices", "<id>"
    if (segments.size() == 4 && segments[1] == "api" && segments[2] == "voices")
        expectAcceptedOrApiError([&] { (void)checkCharacterId(segments[3]); });
    if (segments.size() >= 4 && segments[1] == "api" && segments[2] == "tasks")
        expectAcceptedOrApiError([&] {
            if (checkTaskId(segments[3]) <= 0)
                std::abort();
        });
    if (r.method != "POST")
        return;
    if (r.path == "/api/generate") {
        expectAcceptedOrApiError([&] {
            const echoforge::GenerationParams defaults;
            const GenerateRequest g = parseGenerateRequest(parseJsonBody(r, limits.maxBodyBytes), defaults, limits);
            if (g.text.isEmpty() == g.script.isEmpty() || !std::isfinite(g.params.temperature) || g.params.topK < 1 ||
                !(g.params.maxSeconds > 0 && g.params.maxSeconds <= limits.maxAudioSeconds))
                std::abort();
        });
    } else if (r.path == "/v1/audio/speech") {
        expectAcceptedOrApiError([&] {
            const SpeechRequestBody s = parseSpeechRequest(parseJsonBody(r, limits.maxBodyBytes), limits);
            if (s.input.trimmed().isEmpty() || s.voice.isEmpty() || !(s.speed >= 0.25 && s.speed <= 4.0))
                std::abort();
        });
    } else if (r.path == "/api/voices") {
        expectAcceptedOrApiError([&] {
            const QList<FormPart> parts = parseMultipart(r.header("Content-Type"), r.body, limits.maxUploadBytes);
            qint64 bytes = 0;
            for (const FormPart& p : parts)
                bytes += p.data.size();
            if (bytes > r.body.size())
                std::abort();   // parts are pieces of the body
            const CloneUpload upload = parseCloneUpload(parts, limits);
            if (upload.clip.isEmpty() || !QStringList{"wav", "flac", "ogg", "mp3"}.contains(upload.clipSuffix))
                std::abort();   // the stored clip's name is never the client's
        });
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Limits small enough that the fuzzer's inputs (64 KiB at most) reach every 413.
    ApiLimits limits;
    limits.maxBodyBytes = 16 << 10;
    limits.maxUploadBytes = 32 << 10;
    limits.maxTextCharacters = 2000;
    const HttpRequest request = splitRequest(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
    checkHeaders(request);
    checkRoute(request, limits);
    return 0;
}
