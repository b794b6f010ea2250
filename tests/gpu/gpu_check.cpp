// The CUDA path of CSM, checked on a machine with a GPU (scripts/gpu-check.sh builds this against
// that machine's libtorch): the whole golden set on the chosen device, then full-size csm-1b
// frames with random weights, timed. CI has no GPU; tst_csm_golden runs the same set on CUDA
// wherever the linked libtorch sees one.
//   gpu_check GOLDEN_DIR [cpu|cuda|auto] [FRAMES]

#include <chrono>
#include <cstdio>

#include <torch/torch.h>

#include "core/model/conformance.h"
#include "core/model/csm_model.h"
#include "core/model/torch_runtime.h"

using namespace echoforge;

namespace {

void timeFullSize(ComputeDevice device, WeightPrecision precision, int frames) {
    using Clock = std::chrono::steady_clock;
    auto model = CsmModel::withRandomWeights(CsmConfig::csm1b(), {precision, -1, device}, 1);
    model->begin(syntheticTextPrompt(model->config(), 20), CsmSampling{0.9, 50, 42}, frames + 2);
    model->nextFrame();   // prompt + first frame, and the GPU's warm-up
    CsmFrameTimings sum;
    const auto start = Clock::now();
    for (int i = 0; i < frames; ++i)
        model->nextFrame(&sum);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count() / frames;
    std::printf("csm-1b %s on %s: %.1f ms/frame (backbone %.1f, decoder %.1f, sampling %.1f) = %.2fx real time\n",
                qPrintable(precisionName(precision)), qPrintable(deviceName(device)), ms, sum.backboneMs / frames,
                sum.decoderMs / frames, sum.samplingMs / frames, 80.0 / ms);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: gpu_check GOLDEN_DIR [cpu|cuda|auto] [FRAMES]\n");
        return 2;
    }
    configureTorchThreads(0);   // every core, as the app does (Debian's libtorch starts with one)
    const auto info = torchRuntimeInfo();
    std::printf("torch %s, CUDA %s, %d device(s)\n", qPrintable(info.version), info.cudaAvailable ? "available" : "absent",
                info.cudaDevices);
    try {
        const ComputeDevice device = chooseDevice(argc > 2 ? argv[2] : "auto");
        int failed = 0;
        for (const auto& c : runCsmConformance(argv[1], device)) {
            std::printf("%s\n", qPrintable(conformanceLine(c)));
            failed += c.passed ? 0 : 1;
        }
        std::printf("%d case(s) failed on %s\n", failed, qPrintable(deviceName(device)));
        const int frames = argc > 3 ? std::atoi(argv[3]) : 0;
        if (frames > 0)
            for (auto precision : {WeightPrecision::BFloat16, WeightPrecision::Float32})
                timeFullSize(device, precision, frames);
        return failed == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
