// echoforge-bench startup [--runs N]: how long the programs take from exec to done, as a user
// meets it. Commands that never run the model must not wait for libtorch (core/wiring opens it on
// first use); the diagnostic, which opens it, is timed beside them as the reference, and so is
// the studio's first frame (`echoforge --exit-after-first-frame`, which exits once its window's
// first frame is on screen).
// Each figure is the median of N runs, in one run of the bench on this machine.

#include <cstdio>

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include "app/bench/bench.h"
#include "core/common/numbers.h"

namespace echoforge::bench {
namespace {

struct Program {
    const char* label;
    QString executable;
    QStringList args;
    QByteArray input;   // written to standard input, then closed
};

// Milliseconds from start to exit, or -1 when the program failed.
double timeOnce(const Program& p, const QProcessEnvironment& env) {
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const auto start = Clock::now();
    process.start(p.executable, p.args);
    if (!process.waitForStarted(10000))
        return -1;
    if (!p.input.isEmpty())
        process.write(p.input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return -1;
    return secondsSince(start) * 1000;
}

int runStartupBench(const QStringList& args) {
    int runs = 11;
    const int at = args.indexOf("--runs");
    if (at >= 0 && at + 1 < args.size())
        runs = int(parseWholeNumber(args[at + 1], 1, 101, "--runs"));

    const QString bin = QCoreApplication::applicationDirPath();
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("ECHOFORGE_DATA_DIR", home.filePath("data"));
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("ECHOFORGE_LOG_LEVEL", "error");
    const std::vector<Program> programs = {
        {"echoforge-cli --version", bin + "/echoforge-cli", {"--version"}, {}},
        {"echoforge-cli voices", bin + "/echoforge-cli", {"voices"}, {}},
        {"echoforge-cli tokenize (one line)", bin + "/echoforge-cli", {"tokenize"}, "{\"text\": \"Hello there.\"}\n"},
        {"echoforge (studio to its first frame)", bin + "/echoforge", {"--exit-after-first-frame", "--size", "1024x640"}, {}},
        {"echoforge-cli diagnostic (opens libtorch)", bin + "/echoforge-cli", {"diagnostic", "--compact"}, {}},
    };
    std::printf("median of %d runs, wall time from exec to exit (offscreen Qt platform):\n", runs);
    double reference = 0;
    std::vector<std::pair<const char*, double>> medians;
    for (const Program& p : programs) {
        std::vector<double> times;
        for (int i = 0; i < runs; ++i) {
            const double ms = timeOnce(p, env);
            if (ms < 0) {
                std::fprintf(stderr, "  %s failed\n", p.label);
                return 1;
            }
            times.push_back(ms);
        }
        std::sort(times.begin(), times.end());
        medians.emplace_back(p.label, times[times.size() / 2]);
        reference = times[times.size() / 2];   // the last program opens libtorch
    }
    for (const auto& [label, ms] : medians)
        std::printf("  %-44s %7.1f ms  (%.2f × the diagnostic, which loads libtorch)\n", label, ms, ms / reference);
    return 0;
}

} // namespace

ECHOFORGE_BENCH(startup, "startup", "Start-up: commands and the studio's first paint without libtorch", runStartupBench)

} // namespace echoforge::bench
