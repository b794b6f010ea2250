#pragma once
// An ApiServer on a free loopback port over a task engine whose speech engine is a fake sine
// (tests/tasks/fake_engines.h: optionally slow, "fail:" texts fail) or the engines a test gives,
// the built-in characters and a private data folder; plus a raw HTTP client that sends the test token.

#include <memory>

#include <QTemporaryDir>

#include "core/api/api_server.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"
#include "raw_http.h"
#include "tests/tasks/fake_engines.h"

namespace echoforge::test {

inline const QByteArray kToken = "test-token-0123456789";

// The defaults, but a rate limit no test reaches by polling (the rate limit has its own test).
inline api::ApiLimits testLimits() {
    api::ApiLimits limits;
    limits.requestsPerSecond = 10000;
    limits.burst = 10000;
    return limits;
}

struct ApiRig {
    QTemporaryDir dir;
    std::shared_ptr<EngineLog> log = std::make_shared<EngineLog>();
    VoiceLibrary library{builtInCharactersDir(), dir.filePath("voices")};
    std::unique_ptr<TaskEngine> tasks;
    std::unique_ptr<api::ApiServer> server;
    std::unique_ptr<RawHttp> http;
    quint16 port = 0;

    explicit ApiRig(api::ApiLimits limits = testLimits(), SineConfig sine = {}, QStringList corsOrigins = {}) {
        startOver(EngineSet{sineFactory(sine, log), {}}, TaskEngineConfig{}, Settings{}, limits, corsOrigins);
    }
    // Over the engines, task engine configuration and settings a test makes (e.g. core/wiring's
    // installedEngines over the tiny CSM, with a history folder), as echoforge-server does.
    ApiRig(EngineSet engines, TaskEngineConfig taskConfig, const Settings& settings) {
        startOver(std::move(engines), std::move(taskConfig), settings, testLimits(), {});
    }

    void startOver(EngineSet engines, TaskEngineConfig taskConfig, const Settings& settings, const api::ApiLimits& limits,
                   const QStringList& corsOrigins) {
        tasks = std::make_unique<TaskEngine>(std::move(engines), std::move(taskConfig));
        AppPaths paths;
        paths.configDir = dir.filePath("config");
        paths.dataDir = dir.path();
        paths.voicesDir = dir.filePath("voices");
        paths.cacheDir = dir.filePath("cache");
        paths.historyDir = dir.filePath("history");
        paths.modelsDir = dir.filePath("models");
        paths.logsDir = dir.filePath("logs");
        paths.ensureExist();
        api::ApiConfig config;
        config.port = 0;
        config.token = QString::fromLatin1(kToken);
        config.limits = limits;
        config.corsOrigins = corsOrigins;
        server = std::make_unique<api::ApiServer>(api::ApiServices{tasks.get(), &library, paths, settings}, config);
        port = server->start();
        http = std::make_unique<RawHttp>(port);
    }

    RawResponse get(const QByteArray& path, QList<QByteArray> headers = {}) {
        headers << "Authorization: Bearer " + kToken;
        return http->send("GET", path, headers);
    }
    RawResponse del(const QByteArray& path) { return http->send("DELETE", path, {"Authorization: Bearer " + kToken}); }
    RawResponse postJson(const QByteArray& path, const QByteArray& json) {
        return http->send("POST", path, {"Authorization: Bearer " + kToken, "Content-Type: application/json"}, json);
    }
    // Polls the task until it is over; its last JSON.
    QJsonObject waitForTask(qint64 id, int timeoutMs = 20000) {
        QJsonObject last;
        QTest::qWaitFor([&] {
            last = get("/api/tasks/" + QByteArray::number(id)).json();
            const QString s = last.value("state").toString();
            if (s == "done" || s == "failed" || s == "cancelled")
                return true;
            QTest::qWait(20);
            return false;
        }, timeoutMs);
        return last;
    }
    QString firstCharacter() const { return library.characters().front().id; }
};

} // namespace echoforge::test
