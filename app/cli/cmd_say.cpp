// echoforge-cli say: speak a text as a character into a WAV or FLAC file.

#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>
#include <unistd.h>

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <QCoroTask>

#include "app/cli/command.h"
#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "core/common/numbers.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/engine/engine_choice.h"
#include "core/engine/speech_text.h"
#include "core/model/precision.h"
#include "core/wiring/installed_engines.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"

namespace {

using echoforge::Error;

// Ctrl-C asks the engine to stop (it checks between chunks) instead of killing the process.
std::atomic<bool> interrupted{false};
extern "C" void onInterrupt(int) { interrupted = true; }

constexpr int kInterruptPollMs = 50;
constexpr int kProgressBarWidth = 30;

QString readTextFile(const QString& path) {
    QFile file(path);
    if (!file.exists())
        throw Error(QStringLiteral("The text file %1 does not exist.").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read the text file %1: %2.").arg(path, file.errorString()));
    return QString::fromUtf8(file.readAll());
}

double parseNumber(const QCommandLineParser& parser, const QCommandLineOption& option, double low, double high,
                   double fallback) {
    if (!parser.isSet(option))
        return fallback;
    return echoforge::parseFiniteNumber(parser.value(option), low, high, "--" + option.names().constLast());
}

// What a job came to: its result, or the sentence that says why there is none.
struct JobOutcome {
    std::optional<echoforge::JobResult> result;
    QString error;
};

// QCoro 0.8's waitFor() does not pass an exception on, so the job's error is caught here.
QCoro::Task<JobOutcome> runJob(echoforge::TaskEngine& tasks, echoforge::SpeechRequest request,
                               echoforge::JobOptions options) {
    try {
        co_return JobOutcome{co_await tasks.generate(std::move(request), options), {}};
    } catch (const echoforge::JobCancelled&) {
        co_return JobOutcome{std::nullopt, QStringLiteral("Stopped at your request (Ctrl-C); nothing was written.")};
    } catch (const Error& e) {
        co_return JobOutcome{std::nullopt, e.sentence()};
    }
}

void drawProgress(const echoforge::JobProgress& p) {
    const double fraction = p.unitsTotal > 0 ? std::min(1.0, double(p.unitsDone) / p.unitsTotal) : 0.0;
    const int filled = int(fraction * kProgressBarWidth);
    std::fprintf(stderr, "\r[%s%s] %3d%%  %.1f s of audio", std::string(std::size_t(filled), '#').c_str(),
                 std::string(std::size_t(kProgressBarWidth - filled), '-').c_str(), int(fraction * 100), p.audioSeconds);
    std::fflush(stderr);
}

int runSay(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Speak a text as a character and write it to a WAV or FLAC file.");
    parser.addHelpOption();
    QCommandLineOption text("text", "The text to speak.", "T");
    QCommandLineOption file("file", "A UTF-8 text file to speak.", "F");
    QCommandLineOption voice("voice", "The character id (see 'echoforge-cli voices').", "ID");
    QCommandLineOption output({"o", "output"}, "The file to write, .wav or .flac (default: say-<voice>-<time>.wav).", "OUT");
    QCommandLineOption engine("engine", "auto, csm or espeak (default: the engine setting).", "E");
    QCommandLineOption temperature("temperature", "Sampling temperature (CSM).", "X");
    QCommandLineOption topK("topk", "Sample from the K likeliest tokens (CSM).", "K");
    QCommandLineOption seed("seed", "Random seed, for the same take again (CSM).", "S");
    QCommandLineOption maxSeconds("max-seconds", "Longest audio to make.", "N");
    QCommandLineOption modelDir("model-dir", "The model folder (csm/, mimi/, tokenizer/).", "DIR");
    QCommandLineOption precision("precision", "CSM's weights: auto, fp32, bf16, int8 or q4 (default: the setting).", "P");
    QCommandLineOption threads("threads", "CPU threads for CSM, 0 for every core (default: the setting).", "N");
    QCommandLineOption pieceStreams("piece-streams",
                                    "Pieces of a long text CSM speaks side by side, 1 to 8: 1 speaks each after the one "
                                    "before, more speak each with the voice alone, faster (default: the setting).", "N");
    parser.addOptions({text, file, voice, output, engine, temperature, topK, seed, maxSeconds, modelDir, precision, threads,
                       pieceStreams});
    parser.process(args);

    if (parser.isSet(text) == parser.isSet(file))
        throw Error("Give the text with either --text or --file (one of them).");
    if (!parser.isSet(voice))
        throw Error("Choose a character with --voice ID; 'echoforge-cli voices' lists them.");

    auto settings = echoforge::loadSettings(echoforge::AppPaths::resolveDefault());
    if (parser.isSet(modelDir))
        settings.modelDir = parser.value(modelDir);
    if (parser.isSet(precision)) {
        (void)echoforge::choosePrecision(parser.value(precision));   // refuses an unknown word with a sentence
        settings.precision = parser.value(precision);
    }
    if (parser.isSet(threads))
        settings.threads = int(echoforge::parseWholeNumber(parser.value(threads), 0, 1024, "--threads"));
    if (parser.isSet(pieceStreams))
        settings.pieceStreams = int(echoforge::parseWholeNumber(parser.value(pieceStreams), 1, 8, "--piece-streams"));
    auto paths = echoforge::AppPaths::resolve(settings);
    if (parser.isSet(modelDir))
        paths.modelsDir = QDir(parser.value(modelDir)).absolutePath();

    const QString spoken = parser.isSet(text) ? parser.value(text) : readTextFile(parser.value(file));
    echoforge::checkSpeakableText(spoken, settings.textLimit);

    const QString outPath = QFileInfo(parser.isSet(output)
        ? parser.value(output)
        : QStringLiteral("say-%1-%2.wav").arg(parser.value(voice), QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss")))
        .absoluteFilePath();
    if (!echoforge::isWritableAudioSuffix(outPath))
        throw Error(QStringLiteral("Cannot write %1: choose a file name ending in .wav or .flac.").arg(outPath));

    echoforge::SpeechRequest request;
    request.text = spoken;
    request.params.temperature = parseNumber(parser, temperature, 0.01, 2.0, settings.temperature);
    request.params.topK = parser.isSet(topK) ? int(echoforge::parseWholeNumber(parser.value(topK), 1, 2051, "--topk"))
                                             : settings.topK;
    request.params.maxSeconds = parseNumber(parser, maxSeconds, 0.5, settings.audioLimitSeconds, settings.maxSeconds);
    if (parser.isSet(seed))
        request.params.seed = echoforge::parseSeed(parser.value(seed), "--seed");

    echoforge::VoiceLibrary library(echoforge::builtInCharactersDir(), paths.voicesDir);
    request.character = library.require(parser.value(voice));

    // Refuses an unknown engine, or CSM when it is not installed, with the reason.
    const auto choice = echoforge::chooseEngine(parser.isSet(engine) ? parser.value(engine) : settings.engine, paths.modelsDir);
    settings.engine = choice.engineId;

    // The CLI keeps no history: the studio may be using the history folder at the same time.
    auto config = echoforge::TaskEngineConfig::fromSettings(settings, paths);
    config.historyDir.clear();
    echoforge::TaskEngine tasks(echoforge::installedEngines(paths, settings), config);

    const bool showProgress = isatty(fileno(stderr));
    if (showProgress) {
        QObject::connect(&tasks, &echoforge::TaskEngine::modelLoadProgress, [](double fraction) {
            std::fprintf(stderr, "\rloading CSM-1B: %3d%%   ", int(fraction * 100));
            std::fflush(stderr);
        });
        QObject::connect(&tasks, &echoforge::TaskEngine::progress,
                         [](echoforge::JobId, const echoforge::JobProgress& p) { drawProgress(p); });
    }
    // Ctrl-C cancels the job (the engine stops within a frame) instead of killing the process.
    interrupted = false;
    const auto previousHandler = std::signal(SIGINT, onInterrupt);
    QTimer interruptWatch;
    QObject::connect(&interruptWatch, &QTimer::timeout, [&tasks] {
        if (interrupted)
            tasks.cancelAll();
    });
    interruptWatch.start(kInterruptPollMs);

    echoforge::JobOptions options;
    options.priority = echoforge::JobPriority::Interactive;
    options.engine = choice.engineId == "csm" ? echoforge::EngineSelection::Csm : echoforge::EngineSelection::Espeak;
    options.outputPath = outPath;
    options.keepInHistory = false;
    const JobOutcome outcome = QCoro::waitFor(runJob(tasks, request, options));
    std::signal(SIGINT, previousHandler);
    if (showProgress)
        std::fputc('\n', stderr);
    if (!outcome.error.isEmpty())
        throw Error(outcome.error);
    const echoforge::JobResult& result = *outcome.result;

    for (const QString& note : result.speech.notes)
        std::fprintf(stderr, "note: %s\n", qPrintable(note));
    std::printf("%s\n", qPrintable(result.audioPath));
    std::printf("engine: %s (%s), %.2f s of audio as %s, made in %.2f s", qPrintable(result.speech.engineName),
                qPrintable(result.speech.engineId), result.durationSeconds(), qPrintable(request.character.id),
                result.speech.generationSeconds);
    if (result.speech.engineId == "csm")   // the seed gives the same take again; eSpeak NG has none
        std::printf(", seed %llu", static_cast<unsigned long long>(result.speech.seed));
    std::printf("\n");
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(say, "say", "Speak a text as a character into a WAV or FLAC file", runSay)
