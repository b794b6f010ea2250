// Fuzz target: CSM's config.json, both the published form ({"backbone_flavor": ...}) and the
// explicit form of the golden sets ({"backbone": {"layers": ...}}). An accepted configuration
// must pass its own validation (the model is sized from it).

#include "core/model/csm_config.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString name = QStringLiteral("fuzz/config.json");
    echoforge::fuzz::expectAcceptedOrRefused([&] {
        const auto config = echoforge::CsmConfig::fromJson(
            QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), name);
        config.validate(name);
        volatile std::int64_t keep = config.backbone.parameterCount() + config.decoder.parameterCount();
        (void)keep;
    }, name);
    return 0;
}
