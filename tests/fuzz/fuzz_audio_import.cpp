// Fuzz target: importing an audio file through libsndfile (WAV, FLAC, OGG, MP3 and whatever else
// it recognises), as a clone import does: read, mix to mono, resample to 24 kHz. What is accepted
// must be finite audio of a positive rate.

#include <cmath>

#include "core/audio/audio_io.h"
#include "core/audio/resampler.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString path = echoforge::fuzz::writeScratchFile(QStringLiteral("clip.wav"), data, size);
    echoforge::fuzz::expectAcceptedOrRefused([&] {
        const auto audio = echoforge::readAudio(path, echoforge::ChannelMode::MixToMono);
        if (audio.sampleRate <= 0 || audio.channels != 1)
            std::abort();
        for (const float s : audio.samples)
            if (!std::isfinite(s))
                std::abort();   // a clone must never receive NaN or infinity
        // Long clips are what a clone refuses anyway; resampling them would only slow the fuzzer.
        if (audio.samples.size() <= 48000)
            (void)echoforge::resample(audio, 24000);
    }, path);
    return 0;
}
