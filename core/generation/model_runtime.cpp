// The torch library's entry point: each call goes to the function it names in model, codec or
// generation. Built into libechoforge_torch.so only.
#include "core/generation/model_runtime.h"

#include "core/codec/mimi/mimi_conformance.h"

namespace echoforge {
namespace {

class TorchModelRuntime final : public ModelRuntime {
public:
    TorchRuntimeInfo runtimeInfo() const override { return torchRuntimeInfo(); }
    void configureThreads(int threads) override { configureTorchThreads(threads); }
    ComputeDevice chooseDevice(const QString& setting) const override { return echoforge::chooseDevice(setting); }

    std::unique_ptr<SpeechEngine> loadCsmEngine(const CsmEngineOptions& options) override {
        return CsmEngine::load(options);
    }

    std::vector<ConformanceCase> csmConformance(const QString& dir, ComputeDevice device) override {
        return runCsmConformance(dir, device);
    }
    std::vector<ConformanceCase> mimiConformance(const QString& dir) override { return runMimiConformance(dir); }

    FormatQuality compareFormats(const QString& configPath, const QString& weightsPath, WeightPrecision reference,
                                 WeightPrecision candidate, const std::vector<CsmPrompt>& prompts, int frames) override {
        return echoforge::compareFormats(configPath, weightsPath, reference, candidate, prompts, frames);
    }
};

} // namespace
} // namespace echoforge

extern "C" __attribute__((visibility("default"))) echoforge::ModelRuntime* echoforge_model_runtime_v1() {
    static echoforge::TorchModelRuntime runtime;
    return &runtime;
}
