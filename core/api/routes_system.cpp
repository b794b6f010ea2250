// GET /api/health, /api/diagnostic, /api/openapi.json.

#include <QJsonArray>

#include "core/api/api_server.h"
#include "core/api/openapi.h"
#include "core/wiring/diagnostics.h"
#include "core/tasks/task_engine.h"

namespace echoforge::api {

void addSystemRoutes(QList<Route>& routes) {
    routes << Route{"GET", "/api/health", [](const std::shared_ptr<Exchange>& x) {
        ApiServer& s = x->server();
        TaskEngine& tasks = *s.services().tasks;
        x->respond(HttpResponse::json(QJsonObject{{"status", "ok"},
                                                  {"engine", tasks.activeEngineName()},
                                                  {"csm_installed", tasks.csmInstalled()},
                                                  {"csm_loaded", tasks.csmLoaded()},
                                                  {"queue_depth", tasks.activeJobCount()},
                                                  {"tasks_active", s.tasks().active()},
                                                  {"uptime_seconds", s.uptimeSeconds()},
                                                  {"version", ECHOFORGE_VERSION}}));
    }, "Whether the server runs, which engine speaks, queue depth and uptime (no token needed).", false};

    routes << Route{"GET", "/api/diagnostic", [](const std::shared_ptr<Exchange>& x) {
        const ApiServices& s = x->server().services();
        x->respond(HttpResponse::json(diagnosticReport(s.paths, s.settings)));
    }, "The diagnostic report (versions, CPU, memory, paths, models), as `echoforge-cli diagnostic`."};

    routes << Route{"GET", "/api/openapi.json", [](const std::shared_ptr<Exchange>& x) {
        x->respond(HttpResponse::json(openApiDocument(x->server().routes())));
    }, "This API as an OpenAPI 3 document."};
}

} // namespace echoforge::api
