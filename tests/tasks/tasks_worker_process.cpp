// A process that runs a TaskEngine over a slow fake engine, for the crash-recovery test: the
// test kills it with SIGKILL in the middle of a job and starts it again.
//
//   tasks_worker_process --history DIR [--submit N] [--prefix TEXT] [--resume] [--frames F] [--frame-ms MS]
//
// The jobs' texts are "<prefix> 0", "<prefix> 1", ... (prefix "job" by default).
//
// Prints one line per event, flushed at once: "pending <n>" (jobs left by the last run),
// "queued <id>", "submitted <text>", "finished <id>", "failed <id> <sentence>"; exits 0 once
// nothing is left to do.

#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>

#include "core/tasks/task_engine.h"
#include "tests/tasks/fake_engines.h"

using namespace echoforge;

namespace {

void say(const QString& line) {
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    QCommandLineOption history("history", "History folder.", "DIR");
    QCommandLineOption submit("submit", "Jobs to submit.", "N", "0");
    QCommandLineOption resume("resume", "Queue again the jobs the last run left.");
    QCommandLineOption frames("frames", "Frames per job.", "F", "3");
    QCommandLineOption frameMs("frame-ms", "Milliseconds per frame.", "MS", "0");
    QCommandLineOption prefix("prefix", "The jobs' texts begin with this.", "TEXT", "job");
    parser.addOptions({history, submit, resume, frames, frameMs, prefix});
    parser.process(app);

    test::SineConfig sine;
    sine.frames = parser.value(frames).toInt();
    sine.frameDelayMs = parser.value(frameMs).toInt();
    EngineSet engines;
    engines.makeFallback = test::sineFactory(sine, std::make_shared<test::EngineLog>());
    TaskEngineConfig config;
    config.historyDir = parser.value(history);
    TaskEngine engine(std::move(engines), config);

    auto quitWhenIdle = [&] {
        if (engine.activeJobCount() == 0)
            app.quit();
    };
    QObject::connect(&engine, &TaskEngine::queued, [](JobId id) { say(QStringLiteral("queued %1").arg(id)); });
    QObject::connect(&engine, &TaskEngine::finished, [&](JobId id) {
        say(QStringLiteral("finished %1").arg(id));
        quitWhenIdle();
    });
    QObject::connect(&engine, &TaskEngine::failed, [&](JobId id, const QString& sentence) {
        say(QStringLiteral("failed %1 %2").arg(id).arg(sentence));
        quitWhenIdle();
    });

    say(QStringLiteral("pending %1").arg(engine.pendingFromLastRun().size()));
    if (parser.isSet(resume))
        engine.resubmitPending();
    const int count = parser.value(submit).toInt();
    for (int i = 0; i < count; ++i)
    {
        const QString text = QStringLiteral("%1 %2").arg(parser.value(prefix)).arg(i);
        engine.submit(test::requestFor(text));   // in the queue's table once this returns
        say(QStringLiteral("submitted %1").arg(text));
    }
    if (engine.activeJobCount() == 0)
        return 0;
    return app.exec();
}
