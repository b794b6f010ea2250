// echoforge-bench generation: the CSM engine at full size (csm-1b and Mimi dimensions, random
// weights made in memory): time to first audio and real-time factor of a whole request,
// streaming decode and watermark included. With --piece-streams B: a long text of --pieces
// one-sentence paragraphs spoken with the voice alone as context, B pieces side by side, and the
// aggregate real-time factor of all the frames made (issue 16, point 3). With --jobs J: J
// requests spoken one after another, then all at once on threads of their own as queued jobs
// are (their frames made in shared steps), and the aggregate speed of each way.

#include <chrono>
#include <cmath>
#include <cstdio>

#include <thread>
#include <vector>

#include <QCommandLineParser>
#include <QTemporaryDir>

#include "app/bench/bench.h"
#include "core/audio/audio_io.h"
#include "core/common/cpu_features.h"
#include "core/common/error.h"
#include "core/common/numbers.h"
#include "core/common/model_layout.h"
#include "core/generation/csm_engine.h"
#include "core/model/csm_model.h"
#include "core/model/csm_stream_pool.h"

namespace {

using namespace echoforge;

// J requests one after another, then at once; prints both and their ratio.
void compareJobsAtOnce(CsmEngine& engine, const SpeechRequest& base, int jobs) {
    struct Job {
        SpeechRequest request;
        int frames = 0;
        SpeechResult result;
    };
    auto makeJobs = [&](std::uint64_t firstSeed) {
        std::vector<Job> list(static_cast<std::size_t>(jobs));
        for (int j = 0; j < jobs; ++j) {
            list[std::size_t(j)].request = base;
            list[std::size_t(j)].request.text = QStringLiteral("Job number %1 says: ").arg(j + 1) + base.text;
            list[std::size_t(j)].request.params.seed = firstSeed + std::uint64_t(j);   // never a cached take
        }
        return list;
    };
    auto speak = [&engine](Job& job) {
        SpeechCallbacks callbacks;
        callbacks.onProgress = [&job](const SpeechProgress& p) { job.frames = p.unitsDone; };
        job.result = engine.synthesize(job.request, callbacks);
    };
    auto audioOf = [](const std::vector<Job>& list) {
        double s = 0;
        for (const Job& j : list)
            s += j.frames * 0.08;
        return s;
    };

    // Where the time went: the model's steps, the prompts, and the rest (Mimi, the watermark,
    // waiting for each other).
    auto printSteps = [](const CsmStreamPool::Totals& from, const CsmStreamPool::Totals& to, double wall) {
        const int steps = to.steps - from.steps, rows = to.rows - from.rows;
        const double stepSeconds = to.stepSeconds - from.stepSeconds, promptSeconds = to.promptSeconds - from.promptSeconds;
        std::printf("      %d steps of %.2f streams on average, %.1f ms each (%.1f ms a frame); in steps %.1f s, "
                    "prompts %.1f s, elsewhere %.1f s\n",
                    steps, steps ? double(rows) / steps : 0.0, steps ? 1e3 * stepSeconds / steps : 0.0,
                    rows ? 1e3 * stepSeconds / rows : 0.0, stepSeconds, promptSeconds, wall - stepSeconds - promptSeconds);
    };

    const CsmStreamPool::Totals atStart = engine.streamPool().totals();
    std::vector<Job> oneByOne = makeJobs(100);
    auto start = bench::Clock::now();
    for (Job& job : oneByOne)
        speak(job);
    const double oneByOneSeconds = bench::secondsSince(start);
    const CsmStreamPool::Totals afterOneByOne = engine.streamPool().totals();

    std::vector<Job> atOnce = makeJobs(200);
    std::vector<std::thread> threads;
    start = bench::Clock::now();
    for (Job& job : atOnce)
        threads.emplace_back([&speak, &job] { speak(job); });
    for (std::thread& t : threads)
        t.join();
    const double atOnceSeconds = bench::secondsSince(start);
    const CsmStreamPool::Totals afterAtOnce = engine.streamPool().totals();

    const double oneByOneSpeed = audioOf(oneByOne) / oneByOneSeconds, atOnceSpeed = audioOf(atOnce) / atOnceSeconds;
    std::printf("  %d jobs one after another  %.2f s of audio in %.2f s: %.2f × real time\n", jobs, audioOf(oneByOne),
                oneByOneSeconds, oneByOneSpeed);
    printSteps(atStart, afterOneByOne, oneByOneSeconds);
    std::printf("  %d jobs at once            %.2f s of audio in %.2f s: %.2f × real time (widest shared step: %d)\n", jobs,
                audioOf(atOnce), atOnceSeconds, atOnceSpeed, engine.streamPool().widestStep());
    printSteps(afterOneByOne, afterAtOnce, atOnceSeconds);
    double firstAudio = 0;
    for (const Job& j : atOnce)
        firstAudio = std::max(firstAudio, j.result.firstAudioSeconds);
    std::printf("  at once: slowest first audio %.2f s; aggregate ratio at once / one by one %.2f\n", firstAudio,
                atOnceSpeed / oneByOneSpeed);
}

int runGenerationBench(const QStringList& args) {
    QCommandLineParser parser;
    QCommandLineOption secondsOpt("seconds", "Audio to generate (the random model never stops by itself).", "S", "4");
    QCommandLineOption precisionOpt("precision", "fp32, bf16, int8 or auto.", "P", "auto");
    QCommandLineOption contextOpt("context-seconds",
                                  "Give the voice a reference clip this long (a tone), then time a second request with "
                                  "other text, which reuses the clip's codes and keys and values.",
                                  "S", "0");
    QCommandLineOption streamsOpt("piece-streams",
                                  "Speak a long text with the voice alone as context, this many pieces side by side "
                                  "(1 to 8); each piece runs to its own frame budget (about 6 s).",
                                  "B");
    QCommandLineOption piecesOpt("pieces", "Pieces of the long text (one-sentence paragraphs).", "N", "8");
    QCommandLineOption jobsOpt("jobs",
                               "Speak this many requests (each --seconds long) one after another, then all at once "
                               "on threads of their own, as queued jobs run side by side (1 to 8), and compare.",
                               "J");
    parser.addOptions({secondsOpt, precisionOpt, contextOpt, streamsOpt, piecesOpt, jobsOpt});
    parser.parse(QStringList{"generation"} + args);
    const double seconds = parseFiniteNumber(parser.value(secondsOpt), 0.08, 600, "--seconds");
    const int pieceStreams =
        parser.isSet(streamsOpt) ? int(parseWholeNumber(parser.value(streamsOpt), 1, CsmModel::kMaxStreams, "--piece-streams")) : 0;
    const int pieceCount = int(parseWholeNumber(parser.value(piecesOpt), 1, 64, "--pieces"));
    const int jobs = parser.isSet(jobsOpt) ? int(parseWholeNumber(parser.value(jobsOpt), 1, CsmModel::kMaxStreams, "--jobs")) : 0;

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
    if (pieceStreams > 0) {
        options.pieceContext = CsmEngineOptions::PieceContext::VoiceOnly;
        options.pieceStreams = pieceStreams;
    }
    options.jobStreams = std::max(1, jobs);
    auto engine = CsmEngine::fromParts(Llama3Tokenizer::load(tokenizerPath), MimiCodec::withRandomWeights(7),
                                       std::move(model), options, QStringLiteral("bench"));

    SpeechRequest request;
    request.text = QStringLiteral("The quick brown fox jumps over the lazy dog while the band plays on.");
    request.params.seed = 1;
    request.params.maxSeconds = seconds;
    if (pieceStreams > 0) {
        // Random weights never end a take, so every piece runs to its frame budget (the runaway
        // limit of its short text), and no length limit cuts the text short.
        request.params.maxSeconds = 600;
        request.text.clear();
        for (int i = 0; i < pieceCount; ++i)
            request.text += QStringLiteral("Piece number %1.\n\n").arg(i + 1);
    }
    const double contextSeconds = parseFiniteNumber(parser.value(contextOpt), 0, 60, "--context-seconds");
    if (contextSeconds > 0) {
        AudioBuffer tone{std::vector<float>(std::size_t(contextSeconds * kOutputSampleRate)), kOutputSampleRate, 1};
        for (std::size_t i = 0; i < tone.samples.size(); ++i)
            tone.samples[i] = float(0.3 * std::sin(2 * M_PI * 220.0 * double(i) / kOutputSampleRate));
        const QString clip = cache.filePath(QStringLiteral("reference.wav"));
        writeAudio(clip, tone);
        request.character.segments.push_back({clip, QStringLiteral("A reference clip of the voice, read slowly."), 0});
    }
    if (jobs > 0) {
        std::printf("CSM engine, full size, random weights, %s weights: queued jobs side by side\n",
                    qPrintable(precisionName(precision)));
        compareJobsAtOnce(*engine, request, jobs);
        std::printf("  peak resident memory      %.2f GB\n", double(peakResidentBytes()) / 1e9);
        return 0;
    }
    SpeechCallbacks callbacks;
    int frames = 0;
    callbacks.onProgress = [&frames](const SpeechProgress& p) { frames = p.unitsDone; };
    const SpeechResult result = engine->synthesize(request, callbacks);

    const double audioSeconds = frames * 0.08;
    std::printf("CSM engine, full size, random weights, %s weights\n", qPrintable(precisionName(precision)));
    if (pieceStreams > 0)
        std::printf("  long text                 %d pieces, %d side by side\n", pieceCount, pieceStreams);
    std::printf("  frames generated          %d (%.2f s of audio)\n", frames, audioSeconds);
    std::printf("  time to first audio       %.3f s\n", result.firstAudioSeconds);
    std::printf("  total time                %.2f s\n", result.generationSeconds);
    std::printf("  real-time factor          %.2f (time / audio; below 1 is faster than real time)\n",
                audioSeconds > 0 ? result.generationSeconds / audioSeconds : 0.0);
    if (pieceStreams > 0)
        std::printf("  aggregate speed           %.2f × real time (audio of all frames made / time)\n",
                    result.generationSeconds > 0 ? audioSeconds / result.generationSeconds : 0.0);
    if (contextSeconds > 0) {
        request.text = QStringLiteral("A second sentence, with the same voice and a new text.");
        const SpeechResult second = engine->synthesize(request, callbacks);
        std::printf("  with a %.1f s reference clip: first request's time to first audio above; a second request "
                    "(other text) %.3f s\n", contextSeconds, second.firstAudioSeconds);
    }
    std::printf("  peak resident memory      %.2f GB\n", double(peakResidentBytes()) / 1e9);
    return 0;
}

} // namespace

ECHOFORGE_BENCH(generation, "generation",
                "CSM engine at full size with random weights: time to first audio and real-time factor",
                runGenerationBench)
