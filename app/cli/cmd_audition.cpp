// echoforge-cli audition: N takes of a character's sample line under CSM, each with its own seed,
// written as WAV files to choose a voice from; `echoforge-cli anchor` keeps one.

#include <cstdio>

#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QSet>

#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/numbers.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/engine/engine_choice.h"
#include "core/tasks/audition.h"
#include "core/wiring/installed_engines.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"

namespace {

using echoforge::Error;

int parseCount(const QCommandLineParser& parser, const QCommandLineOption& option, int fallback, int low, int high) {
    if (!parser.isSet(option))
        return fallback;
    return int(echoforge::parseWholeNumber(parser.value(option), low, high, "--" + option.names().constLast()));
}

int runAudition(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Make takes of a character's sample line under CSM, each with its own seed, to "
                                     "choose its voice from.");
    parser.addHelpOption();
    QCommandLineOption voice("voice", "The character id (see 'echoforge-cli voices').", "ID");
    QCommandLineOption count("count", "How many takes (default 4).", "N");
    QCommandLineOption output({"o", "output"}, "The folder for the takes (default: the current one).", "DIR");
    QCommandLineOption round("round", "0 for the first audition; 1, 2 ... for new seeds (default 0).", "R");
    QCommandLineOption modelDir("model-dir", "The model folder (csm/, mimi/, tokenizer/).", "DIR");
    parser.addOptions({voice, count, output, round, modelDir});
    parser.process(args);
    if (!parser.isSet(voice))
        throw Error("Choose a character with --voice ID; 'echoforge-cli voices' lists them.");

    auto settings = echoforge::loadSettings(echoforge::AppPaths::resolveDefault());
    if (parser.isSet(modelDir))
        settings.modelDir = parser.value(modelDir);
    const auto paths = echoforge::AppPaths::resolve(settings);
    const int takes = parseCount(parser, count, echoforge::kDefaultAuditionCount, 1, echoforge::kMostAuditionTakes);
    const int roundNumber = parseCount(parser, round, 0, 0, 100000);
    const QDir outDir(QDir(parser.isSet(output) ? parser.value(output) : QStringLiteral(".")).absolutePath());
    if (!QDir().mkpath(outDir.path()))
        throw Error(QStringLiteral("Cannot create the folder %1.").arg(outDir.path()));

    const echoforge::Character character =
        echoforge::VoiceLibrary(echoforge::builtInCharactersDir(), paths.voicesDir).require(parser.value(voice));
    echoforge::chooseEngine(QStringLiteral("csm"), paths.modelsDir);   // refuses, naming what is missing
    settings.engine = QStringLiteral("csm");
    auto config = echoforge::TaskEngineConfig::fromSettings(settings, paths);
    config.historyDir.clear();   // the studio may be using the history folder
    echoforge::TaskEngine tasks(echoforge::installedEngines(paths, settings), config);

    // Every take is an ordinary job; they run one after another on the CSM lane.
    struct Take {
        std::uint64_t seed;
        QString path;
        QString outcome;
    };
    QMap<echoforge::JobId, Take> jobs;
    echoforge::GenerationParams params;
    params.temperature = settings.temperature;
    params.topK = settings.topK;
    const QList<std::uint64_t> seeds = echoforge::auditionSeeds(character.id, takes, roundNumber);
    for (int i = 0; i < seeds.size(); ++i) {
        const QString path = outDir.filePath(QStringLiteral("%1-take-%2.wav").arg(character.id).arg(roundNumber * takes + i + 1));
        const echoforge::JobId id =
            tasks.submit(echoforge::auditionRequest(character, seeds[i], params), echoforge::auditionJobOptions(path));
        jobs.insert(id, Take{seeds[i], path, {}});
    }
    QEventLoop loop;
    int open = int(jobs.size());
    const auto done = [&](echoforge::JobId id, const QString& outcome) {
        if (!jobs.contains(id))
            return;
        jobs[id].outcome = outcome;
        if (--open == 0)
            loop.quit();
    };
    QObject::connect(&tasks, &echoforge::TaskEngine::finished, &loop, [&](echoforge::JobId id, const echoforge::JobResult& r) {
        done(id, QStringLiteral("%1 s").arg(r.durationSeconds(), 0, 'f', 1));
    });
    QObject::connect(&tasks, &echoforge::TaskEngine::failed, &loop, [&](echoforge::JobId id, const QString& sentence) {
        done(id, QStringLiteral("failed: ") + sentence);
    });
    QObject::connect(&tasks, &echoforge::TaskEngine::cancelled, &loop, [&](echoforge::JobId id) { done(id, "cancelled"); });
    loop.exec();

    int made = 0;
    for (const Take& t : jobs) {
        const bool ok = !t.outcome.startsWith(QLatin1String("failed")) && t.outcome != QLatin1String("cancelled");
        made += ok;
        std::printf("%s\tseed %llu\t%s\n", qPrintable(ok ? t.path : QStringLiteral("-")),
                    static_cast<unsigned long long>(t.seed), qPrintable(t.outcome));
    }
    if (made == 0)
        throw Error("No take of the audition was made; see the reasons above.");
    std::printf("Keep one: echoforge-cli anchor --voice %s --take FILE --seed SEED\n", qPrintable(character.id));
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(audition, "audition", "Make takes of a character's sample line to choose its CSM voice", runAudition)
