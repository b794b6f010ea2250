#pragma once
// Every check of what a client sent, as plain functions over bytes and strings: headers, query,
// JSON bodies, multipart uploads, Range. Each returns the parsed value or throws ApiError with the
// status and a sentence. No socket, no server: the fuzz target and the tests call them directly.

#include <cstdint>
#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include "core/api/api_config.h"
#include "core/api/http_message.h"
#include "core/audio/audio_encode.h"
#include "core/tasks/job.h"
#include "core/voices/voice_clone.h"

namespace echoforge::api {

// Whether `host` (the Host header) may reach a server bound to loopback: 127.0.0.1, ::1 or
// localhost, with or without a port. A browser page on another name that resolves to 127.0.0.1
// (DNS rebinding) sends its own name here and is refused.
bool isLoopbackHost(QByteArrayView host);

// The token of an "Authorization: Bearer <token>" header; empty when there is none.
QByteArray bearerToken(QByteArrayView authorization);
// Equal, in a time that depends on the lengths alone, not on where the first difference is.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// The body as a JSON object: 415 unless the Content-Type is application/json, 413 over
// `maxBytes`, 400 when it is not a JSON object.
QJsonObject parseJsonBody(const HttpRequest& request, qint64 maxBytes);

// POST /api/generate, validated.
struct GenerateRequest {
    QString text;               // exactly one of text and script
    QString script;
    QString voice;              // a character id or name; for a script, optional (names in the lines)
    GenerationParams params;
    AudioFormat format = AudioFormat::Wav;
    JobPriority priority = JobPriority::Normal;
    EngineSelection engine = EngineSelection::Auto;
};
GenerateRequest parseGenerateRequest(const QJsonObject& body, const GenerationParams& defaults, const ApiLimits& limits);

// POST /v1/audio/speech in OpenAI's form, validated.
struct SpeechRequestBody {
    QString model;
    QString input;
    QString voice;
    AudioFormat format = AudioFormat::Wav;   // "response_format"; OpenAI's default mp3 is refused
    double speed = 1.0;
};
SpeechRequestBody parseSpeechRequest(const QJsonObject& body, const ApiLimits& limits);

// One part of a multipart/form-data body.
struct FormPart {
    QString name;
    QString filename;           // empty for a plain field
    QByteArray contentType;
    QByteArray data;
};
// The parts, or 415 (not multipart/form-data, no boundary), 400 (malformed), 413 (over maxBytes).
QList<FormPart> parseMultipart(QByteArrayView contentType, const QByteArray& body, qint64 maxBytes);

// The form of POST /api/voices: the clip and the new character's fields. 422 for an unknown field
// or no clip, 413 for a transcript over the text limit.
struct CloneUpload {
    CloneRequest request;       // everything but audioPath, which the server chooses
    QByteArray clip;
    QString clipSuffix;         // wav, flac, ogg or mp3, from the upload's file name (wav otherwise)
};
CloneUpload parseCloneUpload(const QList<FormPart>& parts, const ApiLimits& limits);

// A "Range: bytes=a-b" header against a resource of `size` bytes: [first, last] inclusive.
// Empty for no header (the whole resource); 416 when unsatisfiable, 400 when malformed.
struct ByteRange {
    qint64 first = 0;
    qint64 last = 0;
};
std::optional<ByteRange> parseRange(QByteArrayView header, qint64 size);

// ?offset=&limit= for a listing: 0 and 50 by default, limit at most 200; 400 otherwise.
struct Paging {
    int offset = 0;
    int limit = 50;
};
Paging parsePaging(const QUrlQuery& query);

// A path segment naming a character ([a-z0-9-], 1..64) or a task (a positive integer); 404 otherwise,
// so no path segment ever reaches the file system unchecked.
QString checkCharacterId(const QString& segment);
JobId checkTaskId(const QString& segment);

} // namespace echoforge::api
