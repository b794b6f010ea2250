// /api/voices: list (filters as `echoforge-cli voices`), one, its sample, clone, delete.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

#include "core/api/api_server.h"
#include "core/api/request_checks.h"
#include "core/api/route_helpers.h"
#include "core/audio/audio_io.h"
#include "core/tasks/task_engine.h"
#include "core/voices/character_model.h"
#include "core/voices/character_summary.h"
#include "core/voices/clip_checks.h"
#include "core/tasks/sample_cache.h"
#include "core/voices/voice_clone.h"
#include "core/voices/voice_library.h"

namespace echoforge::api {
namespace {

QByteArray readFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw Error(ErrorKind::Io, QStringLiteral("Cannot read %1.").arg(path));
    return f.readAll();
}

void listVoices(const std::shared_ptr<Exchange>& x) {
    const ApiServices& s = x->server().services();
    const QUrlQuery& q = x->request().query;
    const QString gender = q.queryItemValue("gender").trimmed().toLower();
    if (!gender.isEmpty() && !QStringList{"any", "female", "male", "neutral"}.contains(gender))
        throw ApiError(400, "bad_query", "\"gender\" must be any, female, male or neutral.");
    CharacterFilterModel filter;
    filter.setGender(gender);
    QStringList styles;
    for (const QString& value : q.allQueryItemValues("style", QUrl::FullyDecoded))
        styles += value.split(',', Qt::SkipEmptyParts);
    filter.setStyles(styles);
    filter.setLanguage(q.queryItemValue("language", QUrl::FullyDecoded));
    filter.setSearchText(q.queryItemValue("q", QUrl::FullyDecoded));
    const QString engine = activeEngineId(*s.tasks);
    QJsonArray out;
    for (const Character& c : s.library->characters())
        if (filter.accepts(c))
            out.append(characterSummaryJson(c, engineFor(c, engine)));
    x->respond(HttpResponse::json(out));
}

void getVoice(const std::shared_ptr<Exchange>& x) {
    const ApiServices& s = x->server().services();
    const auto c = s.library->find(checkCharacterId(x->args[0]));
    if (!c)
        throw ApiError(404, "not_found", QStringLiteral("There is no character '%1'.").arg(x->args[0]));
    x->respond(HttpResponse::json(characterSummaryJson(*c, engineFor(*c, activeEngineId(*s.tasks)))));
}

// The cached sample, or a job that renders it into the cache first (the answer waits for it).
void voiceSample(const std::shared_ptr<Exchange>& x) {
    const ApiServices& s = x->server().services();
    const auto c = s.library->find(checkCharacterId(x->args[0]));
    if (!c)
        throw ApiError(404, "not_found", QStringLiteral("There is no character '%1'.").arg(x->args[0]));
    if (c->sampleText.trimmed().isEmpty())
        throw ApiError(404, "not_found", QStringLiteral("%1 has no sample line.").arg(c->name));
    const QString engine = engineFor(*c, activeEngineId(*s.tasks));
    if (engine.isEmpty())
        throw ApiError(503, "not_installed", QStringLiteral("%1 is a cloned voice; only CSM-1B speaks it, and it is not installed.").arg(c->name));
    SampleCache cache(s.paths.cacheDir);
    if (const auto path = cache.find(engine, *c)) {
        respondWithRange(x, readFile(*path), "audio/wav");
        return;
    }
    checkJobsPerClient(x->server(), x->request().client);
    SpeechRequest request;
    request.text = c->sampleText;
    request.character = *c;
    JobOptions options;
    options.priority = JobPriority::Interactive;
    options.engine = engine == "csm" ? EngineSelection::Csm : EngineSelection::Espeak;
    options.outputPath = cache.pathFor(engine, *c);
    options.keepInHistory = false;
    const JobId id = s.tasks->submit(request, options);
    auto* waiter = new QObject(x->server().scope());
    QObject::connect(s.tasks, &TaskEngine::finished, waiter, [x, id, waiter](JobId done, const JobResult& r) {
        if (done != id)
            return;
        waiter->deleteLater();
        try {
            respondWithRange(x, readFile(r.audioPath), "audio/wav");
        } catch (const Error& e) {
            x->fail(ApiError::fromError(e));
        }
    });
    const auto fail = [x, id, waiter](JobId done, const QString& sentence) {
        if (done != id)
            return;
        waiter->deleteLater();
        x->fail(ApiError(500, "generation_failed", sentence));
    };
    QObject::connect(s.tasks, &TaskEngine::failed, waiter, fail);
    QObject::connect(s.tasks, &TaskEngine::cancelled, waiter, [fail](JobId done) { fail(done, "The sample was cancelled."); });
}

void cloneVoice(const std::shared_ptr<Exchange>& x) {
    ApiServer& server = x->server();
    const ApiServices& s = server.services();
    const ApiLimits& limits = server.config().limits;
    const QList<FormPart> parts = parseMultipart(x->request().header("Content-Type"), x->request().body, limits.maxUploadBytes);
    CloneUpload upload = parseCloneUpload(parts, limits);
    CloneRequest& request = upload.request;
    // The upload goes to a private folder under the cache, never to a name the client chose.
    QTemporaryDir staging(QDir(s.paths.cacheDir).filePath("upload-XXXXXX"));
    if (!staging.isValid())
        throw Error(ErrorKind::Io, "Cannot make a folder for the upload; check that the data folder is writable.");
    const QString clipPath = staging.filePath(QStringLiteral("clip.%1").arg(upload.clipSuffix));
    QFile file(clipPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(upload.clip) != upload.clip.size())
        throw Error(ErrorKind::Io, "Cannot store the upload; check that the data folder has room.");
    file.close();
    request.audioPath = clipPath;

    AudioBuffer audio;
    try {
        audio = readAudio(clipPath, ChannelMode::MixToMono);
    } catch (const Error& e) {
        throw ApiError(415, "unsupported_media_type", QStringLiteral("The clip is not audio EchoForge can read (%1).").arg(e.sentence()));
    }
    if (audio.durationSeconds() > limits.maxUploadSeconds)
        throw ApiError(413, "limit", QStringLiteral("The clip is %1 s long; send at most %2 s.")
                                         .arg(audio.durationSeconds(), 0, 'f', 1).arg(limits.maxUploadSeconds));
    // The wizard's checks: clipping, too quiet, too noisy, too short or long.
    const ClipCheck check = checkClip(audio.samples, audio.sampleRate);
    if (!check.ok())
        throw ApiError(422, "invalid_input", check.problems.join(' '));
    CloneLimits cloneLimits;
    cloneLimits.targetLufs = s.settings.loudnessTargetLufs;
    const Character c = cloneCharacter(*s.library, request, cloneLimits);
    QJsonObject body = characterSummaryJson(c, engineFor(c, activeEngineId(*s.tasks)));
    body["warnings"] = QJsonArray::fromStringList(check.warnings);
    HttpResponse r = HttpResponse::json(body, 201);
    r.headers << qMakePair(QByteArray("Location"), ("/api/voices/" + c.id).toUtf8());
    x->respond(r);
}

void deleteVoice(const std::shared_ptr<Exchange>& x) {
    VoiceLibrary& library = *x->server().services().library;
    const auto c = library.find(checkCharacterId(x->args[0]));
    if (!c)
        throw ApiError(404, "not_found", QStringLiteral("There is no character '%1'.").arg(x->args[0]));
    if (c->builtIn)
        throw ApiError(409, "built_in", QStringLiteral("'%1' is a built-in character and cannot be removed.").arg(c->name));
    library.removeUserCharacter(c->id);
    x->respond(HttpResponse::json(QJsonObject{{"deleted", c->id}}));
}

} // namespace

void addVoiceRoutes(QList<Route>& routes) {
    routes << Route{"GET", "/api/voices", listVoices, "The characters; filters gender, style, language, q (as `voices --json`)."};
    routes << Route{"GET", "/api/voices/{id}", getVoice, "One character."};
    routes << Route{"GET", "/api/voices/{id}/sample", voiceSample, "The character's sample line as WAV (rendered once, then cached)."};
    routes << Route{"POST", "/api/voices", cloneVoice,
                    "Clone a voice: multipart audio (3-30 s of speech), name, transcript; the wizard's checks.", true, true};
    routes << Route{"DELETE", "/api/voices/{id}", deleteVoice, "Remove one of your own characters (not a built-in one)."};
}

} // namespace echoforge::api
