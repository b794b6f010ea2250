#pragma once
// A task engine over fake speech engines and a temporary history folder, for the tests.

#include <memory>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <qcoro/qcorotask.h>

#include "core/tasks/task_engine.h"
#include "tests/tasks/fake_engines.h"

namespace echoforge::test {

struct EngineFixture {
    QTemporaryDir dir;
    std::shared_ptr<EngineLog> log = std::make_shared<EngineLog>();      // the fallback's
    std::shared_ptr<EngineLog> csmLog = std::make_shared<EngineLog>();   // CSM's
    TaskEngineConfig config;
    SineConfig sine;
    SineConfig csm{.id = "csm", .name = "Fake CSM", .frequencyHz = 440.0};
    bool withCsm = false;
    bool csmCorrupt = false;
    QString csmWeights;   // when set, CSM loads this safetensors file (weightsFactory)

    EngineFixture() { config.historyDir = dir.filePath("history"); }

    std::unique_ptr<TaskEngine> make() const {
        EngineSet set;
        set.makeFallback = sineFactory(sine, log);
        if (withCsm)
            set.makeCsm = csmCorrupt ? corruptModelFactory(csmLog)
                          : !csmWeights.isEmpty() ? weightsFactory(csm, csmLog, csmWeights) : sineFactory(csm, csmLog);
        return std::make_unique<TaskEngine>(std::move(set), config);
    }
};

// Waits until `spy` has `count` emissions; QSignalSpy::wait only, never a sleep.
inline bool waitForCount(QSignalSpy& spy, int count, int timeoutMs = 20000) {
    while (spy.count() < count) {
        if (!spy.wait(timeoutMs))
            return false;
    }
    return true;
}

// The sentence `co_await job` throws ("JobCancelled: ..." for a cancelled job), empty when it
// succeeds. QCoro 0.8's waitFor() does not pass a coroutine's exception on, so the error is
// caught inside a coroutine, the way the CLI and the UI use generate().
inline QCoro::Task<QString> errorOf(QCoro::Task<JobResult> job) {
    try {
        co_await job;
    } catch (const JobCancelled& e) {
        co_return QStringLiteral("JobCancelled: ") + e.sentence();
    } catch (const Error& e) {
        co_return e.sentence();
    }
    co_return QString();
}

} // namespace echoforge::test
