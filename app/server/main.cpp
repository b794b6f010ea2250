// echoforge-server: the HTTP API without a window (docs/api.md).
//
//   echoforge-server [--bind ADDR] [--port N] [--precision P] [--threads N] [--piece-streams N]
//                    [--job-streams N]
//                                                          default 127.0.0.1:8765
//
// Data and model folders as the CLI (ECHOFORGE_DATA_DIR, ECHOFORGE_MODEL_DIR); the token from
// ECHOFORGE_API_TOKEN or <data folder>/api-token. Prints "listening on http://ADDR:PORT" on
// standard output when ready; SIGTERM or SIGINT cancels the running jobs and stops cleanly.

#include <atomic>
#include <csignal>
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include "core/api/api_server.h"
#include "core/api/api_token.h"
#include "core/common/error.h"
#include "core/common/numbers.h"
#include "core/common/logging.h"
#include "core/model/precision.h"
#include "core/wiring/installed_engines.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"

namespace {

std::atomic<bool> stopRequested{false};
extern "C" void onStopSignal(int) { stopRequested = true; }

constexpr int kSignalPollMs = 50;
constexpr int kShutdownWaitMs = 5000;   // for the running job to notice its cancel (one frame)

QHostAddress parseBind(const QString& text) {
    if (text == "localhost")
        return QHostAddress::LocalHost;
    QHostAddress address;
    if (!address.setAddress(text))
        throw echoforge::Error(echoforge::ErrorKind::InvalidInput,
                               QStringLiteral("--bind must be an IP address such as 127.0.0.1 or 0.0.0.0, not '%1'.").arg(text));
    return address;
}

int run(QCoreApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription("EchoForge's HTTP API without a window (docs/api.md).");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption bind("bind", "The address to listen on (default 127.0.0.1; others are reachable from the network).",
                            "ADDR", "127.0.0.1");
    QCommandLineOption port("port", "The TCP port (default 8765).", "N", "8765");
    QCommandLineOption precision("precision", "CSM's weights: auto, fp32, bf16, int8 or q4 (default: the setting).", "P");
    QCommandLineOption threads("threads", "CPU threads for CSM, 0 for every core (default: the setting).", "N");
    QCommandLineOption pieceStreams("piece-streams",
                                    "Pieces of a long text CSM speaks side by side, 1 to 8: 1 speaks each after the one "
                                    "before, more speak each with the voice alone, faster (default: the setting).", "N");
    QCommandLineOption jobStreams("job-streams",
                                  "Queued CSM jobs spoken at the same time, 1 to 8, their frames made in one batch so "
                                  "more finish per minute on a CPU; a job's audio is the same either way (default: the "
                                  "setting).", "N");
    parser.addOptions({bind, port, precision, threads, pieceStreams, jobStreams});
    parser.process(app);

    const int portNumber = int(echoforge::parseWholeNumber(parser.value(port), 0, 65535, "--port"));

    auto settings = echoforge::loadSettings(echoforge::AppPaths::resolveDefault());
    // For this run only, as `echoforge-cli say` takes them: the settings file is left as it is.
    if (parser.isSet(precision)) {
        (void)echoforge::choosePrecision(parser.value(precision));   // refuses an unknown word with a sentence
        settings.precision = parser.value(precision);
    }
    if (parser.isSet(threads))
        settings.threads = int(echoforge::parseWholeNumber(parser.value(threads), 0, 1024, "--threads"));
    if (parser.isSet(pieceStreams))
        settings.pieceStreams = int(echoforge::parseWholeNumber(parser.value(pieceStreams), 1, 8, "--piece-streams"));
    if (parser.isSet(jobStreams))
        settings.jobStreams = int(echoforge::parseWholeNumber(parser.value(jobStreams), 1, 8, "--job-streams"));
    const auto paths = echoforge::AppPaths::resolve(settings);
    paths.ensureExist();
    echoforge::initLogging(paths.logsDir, settings.logLevel);

    echoforge::VoiceLibrary library(echoforge::builtInCharactersDir(), paths.voicesDir);
    // Throws (Busy) when the studio or another server holds this history folder.
    echoforge::TaskEngine tasks(echoforge::installedEngines(paths, settings),
                                echoforge::TaskEngineConfig::fromSettings(settings, paths));

    echoforge::api::ApiConfig config;
    config.address = parseBind(parser.value(bind));
    config.port = quint16(portNumber);
    config.token = echoforge::api::resolveApiToken(paths.dataDir);
    config.limits.maxTextCharacters = settings.textLimit;
    config.limits.maxAudioSeconds = settings.audioLimitSeconds;
    const QString origins = qEnvironmentVariable("ECHOFORGE_API_CORS_ORIGINS");
    config.corsOrigins = origins.split(',', Qt::SkipEmptyParts);

    echoforge::api::ApiServer server({&tasks, &library, paths, settings}, config);
    const quint16 listening = server.start();
    if (listening == 0)
        throw echoforge::Error(echoforge::ErrorKind::Busy,
                               QStringLiteral("Cannot listen on %1 port %2; is another server using it?")
                                   .arg(config.address.toString()).arg(portNumber));
    const QString host = config.address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(config.address.toString()) : config.address.toString();
    std::printf("listening on http://%s:%u\n", qPrintable(host), unsigned(listening));
    std::fflush(stdout);

    std::signal(SIGTERM, onStopSignal);
    std::signal(SIGINT, onStopSignal);
    QTimer signalWatch;
    QElapsedTimer shutdownClock;
    QObject::connect(&signalWatch, &QTimer::timeout, [&] {
        if (!stopRequested)
            return;
        if (!shutdownClock.isValid()) {
            echoforge::logger(echoforge::LogArea::Api)->info("stopping: cancelling {} job(s)", tasks.activeJobCount());
            server.tasks().cancelAll();
            tasks.cancelAll();
            shutdownClock.start();
        }
        // The cancelled jobs are written to the history as cancelled before the engine goes.
        if (tasks.activeJobCount() == 0 || shutdownClock.elapsed() > kShutdownWaitMs)
            app.quit();
    });
    signalWatch.start(kSignalPollMs);
    const int code = app.exec();
    echoforge::logger(echoforge::LogArea::Api)->info("stopped");
    return code;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("echoforge");
    QCoreApplication::setOrganizationName("EchoForge");
    QCoreApplication::setApplicationVersion(ECHOFORGE_VERSION);
    try {
        return run(app);
    } catch (const echoforge::Error& e) {
        std::fprintf(stderr, "echoforge-server: %s\n", e.what());
        return echoforge::cliExitCode(e.kind());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "echoforge-server: unexpected error: %s\n", e.what());
        return 1;
    }
}
