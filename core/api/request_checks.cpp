#include "core/api/request_checks.h"

#include <cmath>

#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

namespace echoforge::api {
namespace {

// Numbers a client may send, with the ranges the CLI's `say` accepts.
constexpr double kMinTemperature = 0.01, kMaxTemperature = 2.0;
constexpr int kMinTopK = 1, kMaxTopK = 2051;   // CSM's audio vocabulary plus its specials
constexpr double kMinSeconds = 0.5;
constexpr double kMinSpeed = 0.25, kMaxSpeed = 4.0;   // OpenAI's documented range
constexpr int kMaxListLimit = 200;
constexpr int kMaxPartHeaderBytes = 8192;

[[noreturn]] void invalid(const QString& sentence) { throw ApiError(422, "invalid_input", sentence); }

double numberField(const QJsonObject& body, const char* key, double low, double high, double fallback) {
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < low || v.toDouble() > high)
        invalid(QStringLiteral("\"%1\" must be a number from %2 to %3.").arg(QLatin1String(key)).arg(low).arg(high));
    return v.toDouble();
}

QString stringField(const QJsonObject& body, const char* key) {
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString())
        invalid(QStringLiteral("\"%1\" must be a string.").arg(QLatin1String(key)));
    return v.toString();
}

void checkTextLength(const QString& text, const char* key, const ApiLimits& limits) {
    if (text.size() > limits.maxTextCharacters)
        throw ApiError(413, "limit", QStringLiteral("\"%1\" has %2 characters, more than the limit of %3; split it.")
                                         .arg(QLatin1String(key)).arg(text.size()).arg(limits.maxTextCharacters));
}

QByteArray mediaType(QByteArrayView contentType) {
    const qsizetype semicolon = contentType.indexOf(';');
    return contentType.first(semicolon < 0 ? contentType.size() : semicolon).toByteArray().trimmed().toLower();
}

} // namespace

bool isLoopbackHost(QByteArrayView host) {
    QByteArray h = host.trimmed().toByteArray().toLower();
    if (h.startsWith('[')) {                       // [::1] or [::1]:8765
        const qsizetype close = h.indexOf(']');
        if (close < 0)
            return false;
        const QByteArray rest = h.mid(close + 1);
        if (!rest.isEmpty() && !QRegularExpression("^:[0-9]{1,5}$").match(QString::fromLatin1(rest)).hasMatch())
            return false;
        return h.left(close + 1) == "[::1]";
    }
    const qsizetype colon = h.indexOf(':');
    if (colon >= 0) {
        const QByteArray port = h.mid(colon + 1);
        if (!QRegularExpression("^[0-9]{1,5}$").match(QString::fromLatin1(port)).hasMatch())
            return false;
        h = h.left(colon);
    }
    return h == "127.0.0.1" || h == "localhost";
}

QByteArray bearerToken(QByteArrayView authorization) {
    const QByteArrayView a = authorization.trimmed();
    if (a.size() < 7 || a.first(7).toByteArray().toLower() != "bearer ")
        return {};
    return a.sliced(7).trimmed().toByteArray();
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b) {
    // Every byte of the longer one is visited, whatever the contents.
    const qsizetype n = std::max(a.size(), b.size());
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

QJsonObject parseJsonBody(const HttpRequest& request, qint64 maxBytes) {
    if (mediaType(request.header("Content-Type")) != "application/json")
        throw ApiError(415, "unsupported_media_type", "Send the body as JSON with \"Content-Type: application/json\".");
    if (request.body.size() > maxBytes)
        throw ApiError(413, "limit", QStringLiteral("The body has %1 bytes, more than the limit of %2.")
                                         .arg(request.body.size()).arg(maxBytes));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError)
        throw ApiError(400, "bad_json", QStringLiteral("The body is not valid JSON (%1 at byte %2).")
                                            .arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        throw ApiError(400, "bad_json", "The body must be a JSON object.");
    return doc.object();
}

GenerateRequest parseGenerateRequest(const QJsonObject& body, const GenerationParams& defaults, const ApiLimits& limits) {
    static const QStringList known{"text", "script", "voice", "temperature", "top_k", "seed",
                                   "max_seconds", "format", "priority", "engine"};
    for (auto it = body.begin(); it != body.end(); ++it)
        if (!known.contains(it.key()))
            invalid(QStringLiteral("Unknown field \"%1\"; the fields are %2.").arg(it.key().left(40), known.join(", ")));
    GenerateRequest r;
    r.text = stringField(body, "text");
    r.script = stringField(body, "script");
    if (r.text.isEmpty() == r.script.isEmpty())
        invalid("Give either \"text\" or \"script\" (one of them, not empty).");
    checkTextLength(r.text, "text", limits);
    checkTextLength(r.script, "script", limits);
    r.voice = stringField(body, "voice").trimmed();
    if (!r.text.isEmpty() && r.voice.isEmpty())
        invalid("Choose a character with \"voice\" (an id or name from GET /api/voices).");
    r.params = defaults;
    r.params.temperature = numberField(body, "temperature", kMinTemperature, kMaxTemperature, defaults.temperature);
    const double topK = numberField(body, "top_k", kMinTopK, kMaxTopK, defaults.topK);
    if (topK != std::floor(topK))
        invalid("\"top_k\" must be a whole number.");
    r.params.topK = int(topK);
    r.params.maxSeconds = numberField(body, "max_seconds", kMinSeconds, limits.maxAudioSeconds, defaults.maxSeconds);
    const QJsonValue seed = body.value("seed");
    if (!seed.isUndefined() && !seed.isNull()) {
        // A JSON number is exact up to 2^53; larger seeds may be sent as a decimal string.
        bool ok = false;
        const quint64 value = seed.isString() ? seed.toString().toULongLong(&ok)
                                              : (seed.isDouble() && seed.toDouble() >= 0 && seed.toDouble() <= 9007199254740992.0 &&
                                                 seed.toDouble() == std::floor(seed.toDouble()))
                                                    ? (ok = true, quint64(seed.toDouble())) : 0;
        if (!ok)
            invalid("\"seed\" must be a whole number from 0 (a string for seeds above 2^53).");
        r.params.seed = value;
    }
    try {
        const QString format = stringField(body, "format");
        r.format = format.isEmpty() ? AudioFormat::Wav : audioFormatFromName(format);
        if (r.format == AudioFormat::Pcm)
            invalid("\"format\" must be wav, flac, ogg or opus; raw pcm is offered by /v1/audio/speech.");
        const QString priority = stringField(body, "priority").toLower();
        if (!priority.isEmpty() && !QStringList{"batch", "normal", "interactive"}.contains(priority))
            invalid("\"priority\" must be batch, normal or interactive.");
        r.priority = jobPriorityFromName(priority, JobPriority::Normal);
        const QString engine = stringField(body, "engine");
        r.engine = engine.isEmpty() ? EngineSelection::Auto : engineSelectionFromName(engine);
    } catch (const Error& e) {
        invalid(e.sentence());
    }
    return r;
}

SpeechRequestBody parseSpeechRequest(const QJsonObject& body, const ApiLimits& limits) {
    SpeechRequestBody r;
    r.model = stringField(body, "model");
    r.input = stringField(body, "input");
    r.voice = stringField(body, "voice").trimmed();
    if (r.input.trimmed().isEmpty())
        invalid("\"input\" must hold the text to speak.");
    checkTextLength(r.input, "input", limits);
    if (r.voice.isEmpty())
        invalid("\"voice\" must name a character (an id or name from GET /api/voices).");
    const QString format = stringField(body, "response_format");
    if (!format.isEmpty() && !QStringList{"wav", "flac", "pcm", "opus"}.contains(format.toLower()))
        invalid(QStringLiteral("\"response_format\" '%1' is not offered; use wav, flac, pcm (24 kHz 16-bit) or opus.")
                    .arg(format.left(20)));
    r.format = format.isEmpty() ? AudioFormat::Wav : audioFormatFromName(format);
    r.speed = numberField(body, "speed", kMinSpeed, kMaxSpeed, 1.0);
    return r;
}

QList<FormPart> parseMultipart(QByteArrayView contentType, const QByteArray& body, qint64 maxBytes) {
    if (mediaType(contentType) != "multipart/form-data")
        throw ApiError(415, "unsupported_media_type", "Send the clip as multipart/form-data.");
    if (body.size() > maxBytes)
        throw ApiError(413, "limit", QStringLiteral("The upload has %1 bytes, more than the limit of %2.")
                                         .arg(body.size()).arg(maxBytes));
    static const QRegularExpression boundaryParam(R"re(;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70})))re",
                                                  QRegularExpression::CaseInsensitiveOption);
    const auto m = boundaryParam.match(QString::fromLatin1(contentType.toByteArray()));
    if (!m.hasMatch())
        throw ApiError(415, "unsupported_media_type", "The multipart Content-Type has no boundary.");
    const QByteArray delimiter = "--" + (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1)).toLatin1();

    QList<FormPart> parts;
    qsizetype pos = body.indexOf(delimiter);
    if (pos < 0)
        throw ApiError(400, "bad_multipart", "The multipart body holds no part.");
    while (true) {
        pos += delimiter.size();
        if (body.mid(pos, 2) == "--")
            return parts;                              // the closing delimiter
        if (body.mid(pos, 2) != "\r\n")
            throw ApiError(400, "bad_multipart", "A multipart delimiter is not followed by a line break.");
        pos += 2;
        const qsizetype headerEnd = body.indexOf("\r\n\r\n", pos);
        if (headerEnd < 0 || headerEnd - pos > kMaxPartHeaderBytes)
            throw ApiError(400, "bad_multipart", "A multipart part has no end to its headers.");
        // The next delimiter line: "--boundary" then "--" or a line break (RFC 2046 5.1.1); the same
        // bytes followed by anything else are data.
        qsizetype next = headerEnd + 4;
        while ((next = body.indexOf("\r\n" + delimiter, next)) >= 0) {
            const QByteArray after = body.mid(next + 2 + delimiter.size(), 2);
            if (after == "--" || after == "\r\n")
                break;
            ++next;
        }
        if (next < 0)
            throw ApiError(400, "bad_multipart", "The multipart body ends without its closing boundary.");
        FormPart part;
        for (const QByteArray& line : body.mid(pos, headerEnd - pos).split('\n')) {
            const QByteArray l = line.trimmed();
            const qsizetype colon = l.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray key = l.left(colon).trimmed().toLower();
            const QByteArray value = l.mid(colon + 1).trimmed();
            if (key == "content-type") {
                part.contentType = value;
            } else if (key == "content-disposition") {
                static const QRegularExpression name(R"re(;\s*name="([^"]*)")re"), file(R"re(;\s*filename="([^"]*)")re");
                const QString v = QString::fromUtf8(value);
                part.name = name.match(v).captured(1);
                part.filename = file.match(v).captured(1);
            }
        }
        if (part.name.isEmpty())
            throw ApiError(400, "bad_multipart", "A multipart part has no name in its Content-Disposition.");
        part.data = body.mid(headerEnd + 4, next - headerEnd - 4);
        parts << part;
        pos = next + 2;
    }
}

CloneUpload parseCloneUpload(const QList<FormPart>& parts, const ApiLimits& limits) {
    CloneUpload upload;
    CloneRequest& request = upload.request;
    QString clipName;
    for (const FormPart& p : parts) {
        if (p.name == "audio") {
            upload.clip = p.data;
            clipName = p.filename;
        } else if (p.name == "name") {
            request.name = QString::fromUtf8(p.data).trimmed().left(80);
        } else if (p.name == "transcript") {
            request.transcript = QString::fromUtf8(p.data).trimmed();
        } else if (p.name == "gender") {
            request.gender = QString::fromUtf8(p.data).trimmed();
        } else if (p.name == "styles") {
            request.styles = QString::fromUtf8(p.data).split(',', Qt::SkipEmptyParts);
        } else if (p.name == "description") {
            request.description = QString::fromUtf8(p.data).trimmed().left(500);
        } else {
            throw ApiError(422, "invalid_input", QStringLiteral("Unknown form field \"%1\"; send audio, name, transcript, "
                                                                 "gender, styles, description.").arg(p.name.left(40)));
        }
    }
    if (upload.clip.isEmpty())
        throw ApiError(422, "invalid_input", "Send the clip as the form field \"audio\" (WAV, FLAC, OGG or MP3).");
    if (request.transcript.size() > limits.maxTextCharacters)
        throw ApiError(413, "limit", "The transcript is longer than the text limit.");
    // The stored clip is named by the server; the client's name only hints at the container.
    const QString suffix = QFileInfo(clipName).suffix().toLower();
    upload.clipSuffix = QStringList{"wav", "flac", "ogg", "mp3"}.contains(suffix) ? suffix : QStringLiteral("wav");
    return upload;
}

std::optional<ByteRange> parseRange(QByteArrayView header, qint64 size) {
    if (header.trimmed().isEmpty())
        return std::nullopt;
    static const QRegularExpression spec(R"(^\s*bytes\s*=\s*(\d{0,18})\s*-\s*(\d{0,18})\s*$)");
    const auto m = spec.match(QString::fromLatin1(header.toByteArray()));
    if (!m.hasMatch() || (m.captured(1).isEmpty() && m.captured(2).isEmpty()))
        throw ApiError(400, "bad_range", "The Range header must be one range, as \"bytes=FIRST-LAST\".");
    const auto unsatisfiable = [size] {
        return ApiError(416, "range_not_satisfiable", QStringLiteral("The audio has %1 bytes; ask for a range within them.").arg(size),
                        {{"Content-Range", "bytes */" + QByteArray::number(size)}});
    };
    ByteRange r;
    if (m.captured(1).isEmpty()) {                    // the last N bytes
        const qint64 n = m.captured(2).toLongLong();
        if (n == 0 || size == 0)
            throw unsatisfiable();
        r.first = std::max<qint64>(0, size - n);
        r.last = size - 1;
        return r;
    }
    r.first = m.captured(1).toLongLong();
    r.last = m.captured(2).isEmpty() ? size - 1 : std::min(m.captured(2).toLongLong(), size - 1);
    if (r.first >= size || r.last < r.first)
        throw unsatisfiable();
    return r;
}

Paging parsePaging(const QUrlQuery& query) {
    Paging p;
    const auto read = [&query](const char* key, int low, int high, int fallback) {
        if (!query.hasQueryItem(key))
            return fallback;
        bool ok = false;
        const int v = query.queryItemValue(key).toInt(&ok);
        if (!ok || v < low || v > high)
            throw ApiError(400, "bad_query", QStringLiteral("\"%1\" must be a whole number from %2 to %3.")
                                                 .arg(QLatin1String(key)).arg(low).arg(high));
        return v;
    };
    p.offset = read("offset", 0, 1 << 30, 0);
    p.limit = read("limit", 1, kMaxListLimit, p.limit);
    return p;
}

QString checkCharacterId(const QString& segment) {
    static const QRegularExpression id("^[a-z0-9][a-z0-9-]{0,63}$");
    if (!id.match(segment).hasMatch())
        throw ApiError(404, "not_found", QStringLiteral("There is no character '%1'.").arg(segment.left(64)));
    return segment;
}

JobId checkTaskId(const QString& segment) {
    bool ok = false;
    const JobId id = segment.toLongLong(&ok);
    if (!ok || id <= 0 || segment.startsWith('+') || segment.size() > 18)
        throw ApiError(404, "not_found", QStringLiteral("There is no task '%1'.").arg(segment.left(32)));
    return id;
}

} // namespace echoforge::api
