// Fuzz target: CSM's config.json in the form Hugging Face transformers writes
// ({"model_type": "csm", "hidden_size": .., "depth_decoder_config": {..}, "rope_scaling": {..}}),
// read through the public entry point as a model download's config is. fuzz_csm_config covers
// the other two forms; the seeds here keep the mutations in this one. An accepted configuration
// must pass its own validation with finite numbers (the model and its RoPE tables are sized and
// computed from it).

#include <cmath>

#include "core/model/csm_config.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

void checkLlama(const echoforge::LlamaConfig& c) {
    if (!std::isfinite(c.normEps) || !std::isfinite(c.rope.base) || !std::isfinite(c.rope.scaleFactor) ||
        !std::isfinite(c.rope.lowFreqFactor) || !std::isfinite(c.rope.highFreqFactor) || !std::isfinite(c.rope.oldContextLen))
        std::abort();   // an infinite eps or RoPE base would make every frame NaN
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString name = QStringLiteral("fuzz/config.json");
    echoforge::fuzz::expectAcceptedOrRefused([&] {
        const auto config = echoforge::CsmConfig::fromJson(
            QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), name);
        config.validate(name);
        checkLlama(config.backbone);
        checkLlama(config.decoder);
        volatile std::int64_t keep = config.backbone.parameterCount() + config.decoder.parameterCount();
        (void)keep;
    }, name);
    return 0;
}
