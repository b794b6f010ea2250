// echoforge-bench watermark: cost of marking (whole take and streamed in Mimi-frame chunks) and of
// detection at 24 and 44.1 kHz, as multiples of real time.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "app/bench/bench.h"
#include "core/audio/resampler.h"
#include "core/generation/watermark.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRate = 24000;
constexpr double kSeconds = 30.0;
constexpr std::size_t kMimiFrameSamples = 1920;   // one 80 ms Mimi frame at 24 kHz

// Noise under a 4 Hz syllable-like envelope: the cost does not depend on what the audio says.
// (White noise is the hardest host for the mark, so its score here is far below speech's.)
std::vector<float> testSignal() {
    std::mt19937 random(7);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    std::vector<float> pcm(std::size_t(kSeconds * kRate));
    for (std::size_t i = 0; i < pcm.size(); ++i)
        pcm[i] = noise(random) * float(0.5 + 0.5 * std::sin(2.0 * M_PI * 4.0 * double(i) / kRate));
    return pcm;
}

template <typename F>
double secondsOf(int repeats, F&& f) {
    const auto start = Clock::now();
    for (int r = 0; r < repeats; ++r)
        f();
    return std::chrono::duration<double>(Clock::now() - start).count() / repeats;
}

int runWatermarkBench(const QStringList&) {
    const echoforge::Watermarker marker;
    const std::vector<float> original = testSignal();
    std::vector<float> pcm;

    const double whole = secondsOf(5, [&] {
        pcm = original;
        marker.embed(pcm);
    });
    const double streamed = secondsOf(5, [&] {
        pcm = original;
        echoforge::StreamingWatermarker stream = marker.stream();
        for (std::size_t at = 0; at < pcm.size(); at += kMimiFrameSamples)
            stream.process(std::span<float>(pcm).subspan(at, std::min(kMimiFrameSamples, pcm.size() - at)));
    });
    const std::vector<float> at44k =
        echoforge::resample(echoforge::AudioBuffer{pcm, kRate, 1}, 44100).samples;
    echoforge::Detection d24, d44;
    const double detect24 = secondsOf(5, [&] { d24 = marker.detect(pcm, kRate); });
    const double detect44 = secondsOf(3, [&] { d44 = marker.detect(at44k, 44100); });

    std::printf("%.0f s of 24 kHz audio\n", kSeconds);
    std::printf("  embed whole take:            %8.2f ms  (%6.0fx real time)\n", whole * 1e3, kSeconds / whole);
    std::printf("  embed in 80 ms chunks:       %8.2f ms  (%6.0fx real time)\n", streamed * 1e3, kSeconds / streamed);
    std::printf("  detect at 24 kHz:            %8.2f ms  (%6.0fx real time), score %.1f, search %.1f\n", detect24 * 1e3,
                kSeconds / detect24, d24.score, d24.searchScore);
    std::printf("  detect at 44.1 kHz (+soxr):  %8.2f ms  (%6.0fx real time), score %.1f\n", detect44 * 1e3,
                kSeconds / detect44, d44.score);
    return 0;
}

} // namespace

ECHOFORGE_BENCH(watermark, "watermark", "Watermark embedding (whole and streamed) and detection speed",
                runWatermarkBench)
