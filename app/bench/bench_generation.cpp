// echoforge-bench generation: the CSM engine at full size (csm-1b and Mimi dimensions, random
// weights made in memory): time to first audio and real-time factor of a whole request,
// streaming decode and watermark included.

#include <chrono>
#include <cstdio>

#include <QCommandLineParser>
#include <QTemporaryDir>

#include "app/bench/bench.h"
#include "core/common/cpu_features.h"
#include "core/common/error.h"
#include "core/common/model_layout.h"
#include "core/generation/csm_engine.h"
#include "core/model/csm_model.h"

namespace {

using namespace echoforge;

int runGenerationBench(const QStringList& args) {
    QCommandLineParser parser;
    QCommandLineOption secondsOpt("seconds", "Audio to generate (the random model never stops by itself).", "S", "4");
    QCommandLineOption precisionOpt("precision", "fp32, bf16, int8 or auto.", "P", "auto");
    parser.addOptions({secondsOpt, precisionOpt});
    parser.parse(QStringList{"generation"} + args);
    const double seconds = std::max(0.08, parser.value(secondsOpt).toDouble());

    const QString tokenizerPath = findTokenizerJson(QString());
    if (tokenizerPath.isEmpty())
        throw Error("The Llama 3 tokenizer.json was not fetched into the build tree; run the set-up first.");
    const WeightPrecision precision = choosePrecision(parser.value(precisionOpt));
    CsmLoadOptions load;
    load.precision = precision;
    load.threads = -1;  // keep the thread count echoforge-bench set
    auto model = CsmModel::withRandomWeights(CsmConfig::csm1b(), load, 42);
    QTemporaryDir cache;
    CsmEngineOptions options;
    options.cacheDir = cache.path();
    options.precision = precision;
    options.maxTakeAttempts = 1;  // random weights make "failed" takes; time one take
    auto engine = CsmEngine::fromParts(Llama3Tokenizer::load(tokenizerPath), MimiCodec::withRandomWeights(7),
                                       std::move(model), options, QStringLiteral("bench"));

    SpeechRequest request;
    request.text = QStringLiteral("The quick brown fox jumps over the lazy dog while the band plays on.");
    request.params.seed = 1;
    request.params.maxSeconds = seconds;
    SpeechCallbacks callbacks;
    int frames = 0;
    callbacks.onProgress = [&frames](const SpeechProgress& p) { frames = p.unitsDone; };
    const SpeechResult result = engine->synthesize(request, callbacks);

    const double audioSeconds = frames * 0.08;
    std::printf("CSM engine, full size, random weights, %s weights\n", qPrintable(precisionName(precision)));
    std::printf("  frames generated          %d (%.2f s of audio)\n", frames, audioSeconds);
    std::printf("  time to first audio       %.3f s\n", result.firstAudioSeconds);
    std::printf("  total time                %.2f s\n", result.generationSeconds);
    std::printf("  real-time factor          %.2f (time / audio; below 1 is faster than real time)\n",
                audioSeconds > 0 ? result.generationSeconds / audioSeconds : 0.0);
    std::printf("  peak resident memory      %.2f GB\n", double(peakResidentBytes()) / 1e9);
    return 0;
}

} // namespace

ECHOFORGE_BENCH(generation, "generation",
                "CSM engine at full size with random weights: time to first audio and real-time factor",
                runGenerationBench)
