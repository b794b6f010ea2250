// echoforge-bench mimi [--seconds S] [--frames N] [--threads 1,2]
// Mimi at its real dimensions (MimiConfig::real()) with random weights made in memory.
// Prints, per torch thread count: whole-sequence decode and encode of S seconds as real-time
// factors (compute time / audio time), and the latency of streaming decode per 80 ms frame over
// N frames (mean, median, 95th percentile, worst). Target: streaming decode under 20 ms a frame.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

// torch before any Qt header: Qt's `slots` macro breaks torch headers included after it.
#include <torch/torch.h>

#include "core/codec/mimi/mimi_model.h"
#include "core/model/tensor_loading.h"

#include <QCommandLineParser>

#include "app/bench/bench.h"
#include "core/common/numbers.h"

namespace {

using namespace echoforge;
using namespace echoforge::mimi;
using namespace echoforge::bench;

// CPU time of the whole process (all threads), ms: on a machine shared with other work the wall
// time includes waiting for a core, the CPU time does not.
double processCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto index = static_cast<size_t>(p * double(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

void runWithThreads(const MimiModel& model, int threads, double seconds, int streamFrames) {
    at::set_num_threads(threads);
    const MimiConfig& config = model.config();
    const int64_t frames = std::max<int64_t>(1, static_cast<int64_t>(seconds * config.frameRate));
    const double audioSeconds = double(frames) / config.frameRate;
    const torch::Tensor codes = torch::randint(model.cardinality(), {1, model.numCodebooks(), frames}, torch::kLong);
    const torch::Tensor audio = torch::randn({1, 1, frames * model.samplesPerFrame()}) * 0.1;

    std::printf("\n[%d thread%s]\n", threads, threads == 1 ? "" : "s");
    model.decode(codes.narrow(2, 0, 2));   // warm-up: first-call allocations
    const double decodeSeconds = bestTime(2, [&] { model.decode(codes); });
    std::printf("  decode %.1f s of audio: %.2f s, real-time factor %.3f (%.1fx faster than real time)\n",
                audioSeconds, decodeSeconds, decodeSeconds / audioSeconds, audioSeconds / decodeSeconds);
    const double encodeSeconds = bestTime(2, [&] { model.encode(audio); });
    std::printf("  encode %.1f s of audio: %.2f s, real-time factor %.3f (%.1fx faster than real time)\n",
                audioSeconds, encodeSeconds, encodeSeconds / audioSeconds, audioSeconds / encodeSeconds);

    MimiDecoderState state = model.initialDecoderState(1);
    const int warmup = 3;
    std::vector<double> latencies;
    double cpuMs = 0;
    for (int f = 0; f < warmup + streamFrames; ++f) {
        const torch::Tensor frame = codes.narrow(2, f % frames, 1);
        const double cpuStart = processCpuMs();
        const auto start = Clock::now();
        model.decodeStep(frame, state);
        if (f >= warmup) {
            latencies.push_back(secondsSince(start) * 1e3);
            cpuMs += processCpuMs() - cpuStart;
        }
    }
    double sum = 0;
    for (double l : latencies)
        sum += l;
    const double frameMs = 1e3 / config.frameRate;
    std::printf("  streaming decode, %d frames of %.0f ms: mean %.2f ms, median %.2f, p95 %.2f, worst %.2f ms "
                "(target < 20 ms: %s)\n",
                streamFrames, frameMs, sum / double(latencies.size()), percentile(latencies, 0.5),
                percentile(latencies, 0.95), *std::max_element(latencies.begin(), latencies.end()),
                percentile(latencies, 0.95) < 20.0 ? "met" : "missed");
    std::printf("  streaming decode CPU time (all threads): %.2f ms per frame\n", cpuMs / double(streamFrames));
}

int runMimiBench(const QStringList& args) {
    QCommandLineParser parser;
    QCommandLineOption secondsOpt("seconds", "Audio length for whole-sequence decode and encode.", "S", "10");
    QCommandLineOption framesOpt("frames", "Frames of streaming decode to time.", "N", "100");
    QCommandLineOption threadsOpt("threads", "Comma-separated torch thread counts.", "LIST", "1,2");
    parser.addOptions({secondsOpt, framesOpt, threadsOpt});
    parser.parse(QStringList{"mimi"} + args);
    const double seconds = parseFiniteNumber(parser.value(secondsOpt), 0.08, 600, "--seconds");
    const int streamFrames = int(parseWholeNumber(parser.value(framesOpt), 1, 100000, "--frames"));

    const MimiConfig config = MimiConfig::real();
    WeightSet weights = WeightSet::random(torch::kFloat, 1234);
    const auto model = MimiModel::load(weights, config);
    std::printf("Mimi, real dimensions, random weights: %d Hz, %d samples per frame, %d codebooks of %d\n",
                config.sampleRate, config.samplesPerFrame(), model->numCodebooks(), model->cardinality());

    c10::InferenceMode inference;
    for (const QString& t : parser.value(threadsOpt).split(',', Qt::SkipEmptyParts))
        runWithThreads(*model, int(parseWholeNumber(t, 1, 1024, "--threads")), seconds, streamFrames);
    return 0;
}

} // namespace

ECHOFORGE_BENCH(mimi, "mimi", "Mimi decode/encode real-time factor and streaming decode latency (random weights)",
                runMimiBench)
