#pragma once
// The torch side of EchoForge as the programs reach it: one table of entry points, implemented
// in the torch library (libechoforge_torch.so) and opened there by core/wiring the first time
// CSM or Mimi is needed (model_runtime_loader.h). Programs link only torch-free layers, so a
// command or window that never runs the model never loads libtorch and its ~300 libraries.
// Torch-free header; every type it names is too.

#include <memory>
#include <vector>

#include <QString>

#include "core/engine/speech_engine.h"
#include "core/generation/csm_engine.h"
#include "core/generation/csm_prompt.h"
#include "core/model/conformance.h"
#include "core/model/format_quality.h"
#include "core/model/torch_runtime.h"

namespace echoforge {

class ModelRuntime {
public:
    virtual ~ModelRuntime() = default;

    // libtorch's version, threads, BLAS and GPUs (torch_runtime.h).
    virtual TorchRuntimeInfo runtimeInfo() const = 0;
    // torch's intra-op threads; 0 means every core.
    virtual void configureThreads(int threads) = 0;
    // The device setting ("auto", "cpu", "cuda") as chooseDevice() reads it; throws its sentence.
    virtual ComputeDevice chooseDevice(const QString& setting) const = 0;

    // CsmEngine::load(): tokenizer, CSM and Mimi from the model folder; throws echoforge::Error.
    virtual std::unique_ptr<SpeechEngine> loadCsmEngine(const CsmEngineOptions& options) = 0;

    // The golden-set runners (conformance.h, mimi_conformance.h).
    virtual std::vector<ConformanceCase> csmConformance(const QString& dir, ComputeDevice device) = 0;
    virtual std::vector<ConformanceCase> mimiConformance(const QString& dir) = 0;

    // compareFormats() of format_quality.h.
    virtual FormatQuality compareFormats(const QString& configPath, const QString& weightsPath,
                                         WeightPrecision reference, WeightPrecision candidate,
                                         const std::vector<CsmPrompt>& prompts, int frames) = 0;
};

} // namespace echoforge

// The torch library's one exported entry point: its runtime, alive as long as the process.
// The name carries the table's version, so a library from another build is refused by name.
extern "C" echoforge::ModelRuntime* echoforge_model_runtime_v1();
