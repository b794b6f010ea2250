// POST /api/generate and /api/tasks: state, list, cancel, audio, server-sent events.

#include <utility>

#include <QJsonArray>
#include <QJsonDocument>

#include "core/api/api_server.h"
#include "core/api/request_checks.h"
#include "core/api/route_helpers.h"
#include "core/tasks/conversation.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"

namespace echoforge::api {
namespace {

const ApiTask& requireTask(ApiServer& server, const QString& segment) {
    const ApiTask* t = server.tasks().find(checkTaskId(segment));
    if (!t)
        throw ApiError(404, "not_found", QStringLiteral("There is no task %1 (finished tasks are kept for a while only).").arg(segment));
    return *t;
}

void generate(const std::shared_ptr<Exchange>& x) {
    ApiServer& server = x->server();
    const ApiServices& s = server.services();
    const ApiLimits& limits = server.config().limits;
    const GenerationParams defaults{s.settings.temperature, s.settings.topK, std::nullopt, s.settings.maxSeconds};
    const GenerateRequest g = parseGenerateRequest(parseJsonBody(x->request(), limits.maxBodyBytes), defaults, limits);

    QList<ConversationTurn> turns;
    if (!g.script.isEmpty()) {
        turns = resolveScript(g.script, s.library->characters());   // InvalidInput (422) naming the line
    } else {
        try {
            turns << ConversationTurn{requireVoice(*s.library, g.voice), g.text};
        } catch (const ApiError& e) {
            throw ApiError(422, "invalid_input", e.message());   // a bad field, not a missing URL
        }
    }
    checkJobsPerClient(server, x->request().client);
    JobOptions options;
    options.priority = g.priority;
    options.engine = g.engine;
    const JobId id = server.tasks().create(std::move(turns), g.params, options, g.format, x->request().client);
    HttpResponse r = HttpResponse::json(server.tasks().find(id)->toJson(), 202);
    r.headers << qMakePair(QByteArray("Location"), QByteArray("/api/tasks/") + QByteArray::number(id));
    x->respond(r);
}

void listTasks(const std::shared_ptr<Exchange>& x) {
    ApiTasks& tasks = x->server().tasks();
    const Paging p = parsePaging(x->request().query);
    QJsonArray items;
    for (const ApiTask* t : tasks.list(p.offset, p.limit))
        items.append(t->toJson());
    x->respond(HttpResponse::json(QJsonObject{{"tasks", items}, {"offset", p.offset}, {"limit", p.limit}, {"total", tasks.count()}}));
}

void getTask(const std::shared_ptr<Exchange>& x) {
    x->respond(HttpResponse::json(requireTask(x->server(), x->args[0]).toJson()));
}

void cancelTask(const std::shared_ptr<Exchange>& x) {
    const ApiTask& t = requireTask(x->server(), x->args[0]);
    if (t.over())
        throw ApiError(409, "already_over", QStringLiteral("Task %1 is already %2.").arg(t.id).arg(taskStateName(t.state)));
    x->server().tasks().cancel(t.id);
    // The cancel lands within a frame; the task says "cancelled" once it has.
    x->respond(HttpResponse::json(QJsonObject{{"id", QJsonValue(qint64(t.id))}, {"cancelling", true}}, 202));
}

void taskAudio(const std::shared_ptr<Exchange>& x) {
    ApiServer& server = x->server();
    const ApiTask& t = requireTask(server, x->args[0]);
    if (t.state != TaskState::Done)
        throw ApiError(409, "not_done", QStringLiteral("Task %1 is %2; its audio is there once it is done.").arg(t.id).arg(taskStateName(t.state)));
    const QString name = x->request().query.queryItemValue("format");
    AudioFormat format = t.format;
    if (!name.isEmpty()) {
        if (!QStringList{"wav", "flac", "ogg"}.contains(name))
            throw ApiError(400, "bad_query", "\"format\" must be wav, flac or ogg.");
        format = audioFormatFromName(name);
    }
    respondWithRange(x, server.tasks().encodedAudio(t.id, format), audioMimeType(format));
}

QByteArray sseEvent(qint64 sequence, const QByteArray& name, const QJsonObject& data) {
    return "id: " + QByteArray::number(sequence) + "\nevent: " + name + "\ndata: " +
           QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

void taskEvents(const std::shared_ptr<Exchange>& x) {
    ApiServer& server = x->server();
    const ApiTask& t = requireTask(server, x->args[0]);
    const QString client = x->request().client;
    if (server.openStreams(client) >= server.config().limits.eventStreamsPerClient)
        throw ApiError(429, "too_many_streams", "You have as many event streams open as a client may; close one first.",
                       {{"Retry-After", "5"}});
    ResponseStream* stream = x->stream(200, "text/event-stream");
    server.streamOpened(client);
    auto sequence = std::make_shared<qint64>(0);
    // What already happened first, so a late subscriber still sees queued before started.
    for (const QJsonObject& e : t.events)
        stream->write(sseEvent(++*sequence, e.value("event").toString().toLatin1(), e));
    auto ended = std::make_shared<bool>(false);
    const auto close = [stream, &server, client, ended] {
        if (std::exchange(*ended, true))
            return;
        stream->end();
        server.streamClosed(client);
        stream->disconnect();
        stream->deleteLater();
    };
    if (t.over()) {
        close();
        return;
    }
    if (!t.lastProgress.isEmpty())
        stream->write(sseEvent(++*sequence, "progress", t.lastProgress));
    const JobId id = t.id;
    QObject::connect(&server.tasks(), &ApiTasks::event, stream,
                     [stream, sequence, id, close](JobId task, const QByteArray& name, const QJsonObject& data) {
        if (task != id)
            return;
        stream->write(sseEvent(++*sequence, name, data));
        if (name == "done" || name == "failed" || name == "cancelled")
            close();
    });
    QObject::connect(stream, &ResponseStream::closed, stream, close);
}

} // namespace

void addTaskRoutes(QList<Route>& routes) {
    routes << Route{"POST", "/api/generate", generate,
                    "Queue a text or a script; answers 202 with the task and its URLs."};
    routes << Route{"GET", "/api/tasks", listTasks, "The tasks, newest first; paged with offset and limit."};
    routes << Route{"GET", "/api/tasks/{task_id}", getTask, "A task: state, progress, time left, error, result."};
    routes << Route{"DELETE", "/api/tasks/{task_id}", cancelTask, "Cancel a queued or running task."};
    routes << Route{"GET", "/api/tasks/{task_id}/audio", taskAudio,
                    "The finished take; ?format=wav|flac|ogg; Range requests answered."};
    routes << Route{"GET", "/api/tasks/{task_id}/events", taskEvents,
                    "Server-sent events: queued, started, progress, done, failed, cancelled."};
}

} // namespace echoforge::api
