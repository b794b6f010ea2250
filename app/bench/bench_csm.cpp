// echoforge-bench csm [--frames N] [--prompt T] [--precision fp32|bf16|int8|q4|both|all|none] [--kernels ISA] [--batch LIST]
// CSM-1B at full size with random weights made in memory, forced to make N frames after a
// T-frame prompt (no early stop). Prints ms per frame split into backbone, decoder and sampling,
// peak resident memory, and the memory-bandwidth floor (weight bytes per frame / measured read
// bandwidth) beside the measured time, once against the bandwidth measured at the start and once
// per frame against the faster of two plain reads of as many bytes, right before and after that
// frame (the median of the frames). Also times the one-row products the kernels choose from.
// --kernels runs every format on a lesser instruction set than the CPU's best, to see what it
// costs. Batched figures: B streams side by side (CsmModel::generateBatch), aggregate real-time
// factor once every stream's prompt is done.

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>

#include <immintrin.h>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <QCommandLineParser>

#include "app/bench/bench.h"
#include "core/common/cpu_features.h"
#include "core/common/numbers.h"
#include "core/model/csm_model.h"
#include "core/model/linear.h"
#include "core/model/row_kernels.h"

namespace {

using namespace echoforge;
using bench::bestTime;
using bench::Clock;
using bench::secondsSince;

// Sums n floats with four independent vector accumulators, so that the loads, not the adds,
// set the pace.
__attribute__((target("avx2"))) float streamSum(const float* data, int64_t n) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    int64_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int k = 0; k < 4; ++k)
            acc[k] = _mm256_add_ps(acc[k], _mm256_loadu_ps(data + i + 8 * k));
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
    float sum = 0;
    for (float v : lanes)
        sum += v;
    for (; i < n; ++i)
        sum += data[i];
    return sum;
}

// Read bandwidth in GB/s: a sum over 1 GiB of floats (made once, kept), far beyond the caches, on
// every torch thread; the faster of torch's `sum` and a plain vector loop split over the threads,
// so that the floor is what the memory can give rather than what one reduction manages. Each is
// the best of `passes`. Measured at the start (five passes, printed); plainReadSeconds times the
// floor beside each frame.
struct ReadBandwidth {
    double torchSum = 0, vectorLoop = 0;   // GB/s
    double best() const { return std::max(torchSum, vectorLoop); }
};

// The probes' 1 GiB of floats, made once and kept.
const torch::Tensor& probeBuffer() {
    static const auto buffer = torch::rand({int64_t(1) << 28});
    return buffer;
}

// Σ of the first n floats of the probe buffer: streamSum split over every torch thread where the
// CPU has AVX2, torch's `sum` elsewhere.
float threadedSum(int64_t n) {
    const torch::Tensor& buffer = probeBuffer();
    if (!CpuFeatures::detect().avx2)
        return buffer.narrow(0, 0, n).sum().item<float>();
    const float* data = buffer.data_ptr<float>();
    std::vector<float> partial(std::size_t(at::get_num_threads()) + 1, 0.0f);
    at::parallel_for(0, n, n / at::get_num_threads() + 1, [&](int64_t begin, int64_t end) {
        partial[std::size_t(at::get_thread_num())] = streamSum(data + begin, end - begin);
    });
    return partial[0];
}

ReadBandwidth measureReadBandwidth(int passes) {
    const torch::Tensor& buffer = probeBuffer();
    const int64_t n = buffer.numel();
    volatile float sink = 0;
    const double torchSum = bestTime(passes, [&] { sink = buffer.sum().item<float>(); });
    const double loopSum = CpuFeatures::detect().avx2 ? bestTime(passes, [&] { sink = threadedSum(n); }) : torchSum;
    (void)sink;
    return {double(n * 4) / torchSum / 1e9, double(n * 4) / loopSum / 1e9};
}

// Seconds to read `bytes` from the probe buffer (wrapping around it) on every torch thread: a
// plain read of as many bytes as a frame's weights, timed right beside that frame. One pass, so
// that it measures the memory of that moment.
double plainReadSeconds(double bytes) {
    const int64_t bufferFloats = probeBuffer().numel();
    volatile float sink = 0;
    const auto start = Clock::now();
    for (int64_t left = int64_t(bytes / 4); left > 0; left -= bufferFloats)
        sink = threadedSum(std::min(left, bufferFloats));
    (void)sink;
    return secondsSince(start);
}

// GB/s of weights streamed by one-row products, for the matrix shapes of CSM-1B: the kernels
// Linear chooses between (core/model/linear.h). Each run reads the next of several copies of W,
// 512 MB in all, so the figures are of memory, not of the caches.
void printKernels() {
    struct Shape { int64_t out, in; const char* what; };
    const Shape shapes[] = {{8192, 2048, "backbone w1/w3"}, {2048, 8192, "backbone w2"}, {2048, 2048, "backbone q/output"},
                            {8192, 1024, "decoder w1/w3"}, {1024, 8192, "decoder w2"}, {2051, 1024, "audio head"}};
    std::printf("one-row product x·Wᵀ, weights streamed in GB/s (ours: Linear, kernels %s):\n  %-28s %8s %8s %8s %8s %8s %8s %8s\n",
                kernels::kernelIsaName(), "W [out, in]", "f32 lin", "f32 mv", "f32 ours", "bf16 lin", "bf16 ours", "int8 ours", "q4 ours");
    constexpr double kWorkingSet = 512e6;
    for (const auto& shape : shapes) {
        const int copies = int(std::ceil(kWorkingSet / double(shape.out * shape.in * 4)));
        std::vector<torch::Tensor> w32, w16;
        std::vector<Linear> ours32, ours16, ours8, ours4;
        for (int i = 0; i < copies; ++i) {
            w32.push_back(torch::rand({shape.out, shape.in}) - 0.5);
            w16.push_back(w32.back().to(torch::kBFloat16));
            ours32.emplace_back(w32.back(), WeightPrecision::Float32);
            ours16.emplace_back(w16.back(), WeightPrecision::BFloat16);
            ours8.emplace_back(w32.back(), WeightPrecision::Int8);
            ours4.emplace_back(w32.back(), WeightPrecision::Q4);
        }
        const auto x = torch::rand({1, shape.in});
        const auto xBf16 = x.to(torch::kBFloat16);
        int next = 0;
        auto rate = [&](double bytesPerElement, auto&& product) {
            const double t = bestTime(3, [&] {
                for (int i = 0; i < copies; ++i)
                    (void)product(next++ % copies);
            });
            return double(copies) * shape.out * shape.in * bytesPerElement / t / 1e9;
        };
        const double f32Linear = rate(4, [&](int i) { return torch::linear(x, w32[i]); });
        const double f32Mv = rate(4, [&](int i) { return torch::mv(w32[i], x.view({-1})); });
        const double bf16Linear = rate(2, [&](int i) { return torch::linear(xBf16, w16[i]); });
        const double f32Ours = rate(4, [&](int i) { return ours32[i](x); });
        const double bf16Ours = rate(2, [&](int i) { return ours16[i](x); });
        const double int8Ours = rate(double(ours8[0].weightBytes()) / double(shape.out * shape.in), [&](int i) { return ours8[i](x); });
        const double q4Ours = rate(double(ours4[0].weightBytes()) / double(shape.out * shape.in), [&](int i) { return ours4[i](x); });
        std::printf("  %-28s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f\n",
                    qPrintable(QStringLiteral("[%1, %2] %3").arg(shape.out).arg(shape.in).arg(shape.what)), f32Linear,
                    f32Mv, f32Ours, bf16Linear, bf16Ours, int8Ours, q4Ours);
    }
}

// B streams side by side, each with its own prompt and seed: ms per batched frame step and the
// aggregate real-time factor (audio made / time taken; 80 ms of audio per frame), timed from
// when every stream's prompt and first frame are done.
void runBatched(CsmModel& model, const std::vector<int>& sizes, int frames, int promptFrames) {
    constexpr double kFrameMs = 80.0;
    for (int b : sizes) {
        std::vector<CsmPrompt> prompts;
        std::vector<CsmSampling> samplings;
        for (int i = 0; i < b; ++i) {
            prompts.push_back(syntheticTextPrompt(model.config(), promptFrames + i));
            samplings.push_back({0.9, 50, std::uint64_t(100 + i)});
        }
        int made = 0;
        Clock::time_point steadyStart;
        model.generateBatch(prompts, samplings, frames + 1, [&](int, const std::vector<int64_t>&) {
            if (++made == b)
                steadyStart = Clock::now();   // every stream's first frame is out
            return true;
        });
        const double seconds = secondsSince(steadyStart);
        const int steady = made - b;
        std::printf("  batch of %d: %d frames in %.1f ms = %.1f ms per frame step; aggregate real-time factor %.2f (%s real time)\n",
                    b, steady, seconds * 1e3, seconds * 1e3 / std::max(1, steady / b), steady * kFrameMs / (seconds * 1e3),
                    steady * kFrameMs >= seconds * 1e3 ? "faster than" : "slower than");
    }
}

void runPrecision(WeightPrecision precision, int frames, int promptFrames, double bandwidth, const std::vector<int>& batches) {
    const auto buildStart = Clock::now();
    const auto model = CsmModel::withRandomWeights(CsmConfig::csm1b(), {precision, -1}, 1);
    const double buildSeconds = secondsSince(buildStart);
    model->begin(syntheticTextPrompt(model->config(), promptFrames), CsmSampling{0.9, 50, 42}, frames + 1);

    CsmFrameTimings prompt;
    const auto promptStart = Clock::now();
    model->nextFrame(&prompt);
    const double promptMs = secondsSince(promptStart) * 1e3;

    // Each frame between two plain reads of as many bytes as it reads: its ratio to the faster
    // of the reads beside it, the floor of its own moment. On our shared VMs the bandwidth moves
    // by a third within seconds, so a floor measured a second away can void a ratio. The reads'
    // time is not the frames'.
    const double bytes = double(model->weightBytesPerFrame());
    CsmFrameTimings sum;
    double framesSeconds = 0;
    std::vector<double> frameRatios;
    double before = plainReadSeconds(bytes);
    for (int i = 0; i < frames; ++i) {
        const auto frameStart = Clock::now();
        model->nextFrame(&sum);
        const double frameSeconds = secondsSince(frameStart);
        framesSeconds += frameSeconds;
        const double after = plainReadSeconds(bytes);
        frameRatios.push_back(frameSeconds / std::min(before, after));
        before = after;
    }
    const double perFrameMs = framesSeconds * 1e3 / frames;
    const double floorMs = bytes / (bandwidth * 1e9) * 1e3;
    std::sort(frameRatios.begin(), frameRatios.end());
    const auto ratioAt = [&](double share) { return frameRatios[std::size_t(share * double(frameRatios.size() - 1) + 0.5)]; };
    std::printf("\n[%s] random weights made in %.1f s\n", qPrintable(precisionName(precision)), buildSeconds);
    std::printf("  prompt of %d frames + first frame: %.1f ms\n", promptFrames, promptMs);
    std::printf("  %d frames: %.1f ms/frame = backbone %.1f + decoder %.1f + sampling %.2f\n", frames, perFrameMs,
                sum.backboneMs / frames, sum.decoderMs / frames, sum.samplingMs / frames);
    std::printf("  weights read per frame %.2f GB; bandwidth floor %.1f ms/frame; measured/floor = %.2f\n", bytes / 1e9,
                floorMs, perFrameMs / floorMs);
    std::printf("  per frame, against the faster plain read of %.2f GB beside it: median measured/floor %.2f "
                "(middle 80 %% %.2f–%.2f, %zu frames)\n",
                bytes / 1e9, ratioAt(0.5), ratioAt(0.1), ratioAt(0.9), frameRatios.size());
    std::printf("  real time is %.0f ms per frame: %s\n", 80.0, perFrameMs < 80.0 ? "faster than real time" : "slower than real time");
    runBatched(*model, batches, frames, promptFrames);
    std::printf("  peak resident memory so far %.2f GB\n", double(peakResidentBytes()) / 1e9);
}

int runCsmBench(const QStringList& args) {
    QCommandLineParser parser;
    QCommandLineOption framesOpt("frames", "Frames to generate after the prompt.", "N", "10");
    QCommandLineOption promptOpt("prompt", "Prompt length in frames.", "T", "40");
    QCommandLineOption precisionOpt("precision", "fp32, bf16, int8, q4, both (fp32 and bf16), all or none (kernels only).", "P", "both");
    QCommandLineOption kernelsOpt("kernels", "The kernels' instruction set: avx512vnni, avx512, avxvnni, avx2 or scalar (default: the best).", "ISA");
    QCommandLineOption batchOpt("batch", "Batch sizes to time side by side, comma-separated (empty: none).", "LIST", "1,2,4,8");
    parser.addOptions({framesOpt, promptOpt, precisionOpt, kernelsOpt, batchOpt});
    parser.parse(QStringList{"csm"} + args);
    // A number the bench cannot use (NaN, a word, out of range) is refused with a sentence, not clamped.
    const int frames = int(parseWholeNumber(parser.value(framesOpt), 1, 100000, "--frames"));
    const int promptFrames = int(parseWholeNumber(parser.value(promptOpt), 1, 2000, "--prompt"));
    const QString which = parser.value(precisionOpt);
    std::vector<int> batches;
    for (const QString& size : parser.value(batchOpt).split(',', Qt::SkipEmptyParts))
        batches.push_back(int(parseWholeNumber(size, 1, CsmModel::kMaxStreams, "--batch")));
    if (parser.isSet(kernelsOpt) && !kernels::useKernelIsa(parser.value(kernelsOpt).toStdString())) {
        std::fprintf(stderr, "This CPU cannot run the %s kernels (it has %s at best).\n", qPrintable(parser.value(kernelsOpt)),
                     kernels::kernelIsaName());
        return 2;
    }

    c10::InferenceMode inference;
    const ReadBandwidth atStart = measureReadBandwidth(5);
    std::printf("memory read: torch sum %.1f GB/s, vector loop %.1f GB/s\n", atStart.torchSum, atStart.vectorLoop);
    const double bandwidth = atStart.best();
    std::printf("memory read bandwidth (sum over 1 GiB, %d threads): %.1f GB/s\n", at::get_num_threads(), bandwidth);
    printKernels();
    // The smallest first: the process's peak memory then still says what each needs alone.
    if (which == "q4" || which == "all")
        runPrecision(WeightPrecision::Q4, frames, promptFrames, bandwidth, batches);
    if (which == "int8" || which == "all")
        runPrecision(WeightPrecision::Int8, frames, promptFrames, bandwidth, batches);
    if (which == "bf16" || which == "both" || which == "all")
        runPrecision(WeightPrecision::BFloat16, frames, promptFrames, bandwidth, batches);
    if (which == "fp32" || which == "both" || which == "all")
        runPrecision(WeightPrecision::Float32, frames, promptFrames, bandwidth, batches);
    return 0;
}

} // namespace

ECHOFORGE_BENCH(csm, "csm", "CSM-1B frame generation at full size (random weights)", runCsmBench)
