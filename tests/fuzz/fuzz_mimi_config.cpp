// Fuzz target: Mimi's config.json (the golden sets' form, in the keys of moshi's _mimi_config).
// An accepted configuration must pass its own validation and give finite frame geometry.

#include <cmath>

#include "core/codec/mimi/mimi_config.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString name = QStringLiteral("fuzz/mimi_config.json");
    echoforge::fuzz::expectAcceptedOrRefused([&] {
        const auto config = echoforge::mimi::MimiConfig::fromJsonText(
            std::string(reinterpret_cast<const char*>(data), size), name);
        config.validate(name);
        if (!std::isfinite(config.encoderFrameRate()) || config.samplesPerFrame() <= 0)
            std::abort();
    }, name);
    return 0;
}
