#include "core/api/route_helpers.h"

#include "core/api/api_server.h"
#include "core/api/request_checks.h"
#include "core/tasks/conversation.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"

namespace echoforge::api {

void respondWithRange(const std::shared_ptr<Exchange>& x, const QByteArray& bytes, const QByteArray& mime) {
    const auto range = parseRange(x->request().header("Range"), bytes.size());
    if (!range) {
        x->respond({200, mime, bytes, {{"Accept-Ranges", "bytes"}}});
        return;
    }
    const QByteArray contentRange = "bytes " + QByteArray::number(range->first) + "-" + QByteArray::number(range->last) +
                                    "/" + QByteArray::number(bytes.size());
    x->respond({206, mime, bytes.mid(range->first, range->last - range->first + 1),
                {{"Accept-Ranges", "bytes"}, {"Content-Range", contentRange}}});
}

QString activeEngineId(const TaskEngine& tasks) {
    return tasks.csmInstalled() && tasks.csmLoadError().isEmpty() ? QStringLiteral("csm") : QStringLiteral("espeak");
}

Character requireVoice(const VoiceLibrary& library, const QString& idOrName) {
    if (const auto byId = library.find(idOrName))
        return *byId;
    if (const auto byName = characterNamed(library.characters(), idOrName))
        return *byName;
    throw ApiError(404, "not_found", QStringLiteral("There is no character '%1'; GET /api/voices lists them.").arg(idOrName.left(64)));
}

void checkJobsPerClient(ApiServer& server, const QString& client) {
    const int limit = server.config().limits.jobsPerClient;
    if (server.tasks().activeFor(client) >= limit)
        throw ApiError(429, "too_many_tasks",
                       QStringLiteral("You have %1 tasks queued or running, the most a client may; wait for one to end.").arg(limit),
                       {{"Retry-After", "5"}});
}

} // namespace echoforge::api
