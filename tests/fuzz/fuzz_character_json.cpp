// Fuzz target: a character's character.json (schema 1, docs/characters.md). The folder named in
// errors is a real scratch folder holding one reference clip, so a valid seed reaches the
// reference-segment and eSpeak fields too. An accepted character must serialise and read back
// to the same character.

#include "core/voices/character_json.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const QString folder = [] {
        const QString f = echoforge::fuzz::scratchDir() + QStringLiteral("/ada");
        QDir().mkpath(f);
        QFile clip(f + QStringLiteral("/ref.wav"));
        clip.open(QIODevice::WriteOnly);
        clip.write("RIFF");   // existence is all the reader checks
        return f;
    }();
    const QString file = folder + QStringLiteral("/character.json");
    echoforge::fuzz::expectAcceptedOrRefused([&] {
        const auto c = echoforge::parseCharacterJson(
            QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), folder, file, false);
        const auto again = echoforge::parseCharacterJson(echoforge::characterToJson(c), folder, file, false);
        if (again.id != c.id || again.name != c.name || again.segments.size() != c.segments.size() ||
            again.espeak.voice != c.espeak.voice || again.espeak.pitch != c.espeak.pitch)
            std::abort();   // what we write must read back as the same character
    }, file);
    return 0;
}
