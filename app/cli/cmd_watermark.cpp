// echoforge-cli watermark: look for EchoForge's audio watermark in a file, or mark a file.
//   watermark detect FILE      exit 0: mark found, 1: not found, 2: error (unreadable file, bad usage)
//   watermark embed IN OUT     exit 0: written, 2: error

#include <cstdio>

#include <QCommandLineParser>

#include "app/cli/command.h"
#include "core/audio/audio_io.h"
#include "core/audio/resampler.h"
#include "core/common/error.h"
#include "core/generation/watermark.h"

namespace {

constexpr int kFound = 0;
constexpr int kNotFound = 1;
constexpr int kError = 2;

echoforge::WatermarkKey keyFrom(const QCommandLineParser& parser, const QCommandLineOption& text,
                                const QCommandLineOption& hex) {
    if (parser.isSet(hex)) {
        bool ok = false;
        const echoforge::WatermarkKey key = parser.value(hex).toULongLong(&ok, 16);
        if (!ok)
            throw echoforge::Error(echoforge::ErrorKind::InvalidInput,
                                   QStringLiteral("--key-hex must be a 64-bit hexadecimal number, not '%1'.").arg(parser.value(hex)));
        return key;
    }
    if (parser.isSet(text))
        return echoforge::watermarkKeyFromText(parser.value(text).toStdString());
    return echoforge::kDefaultWatermarkKey;
}

int detect(const echoforge::Watermarker& marker, const QString& path) {
    const echoforge::AudioBuffer audio = echoforge::readAudio(path, echoforge::ChannelMode::MixToMono);
    const echoforge::Detection d = marker.detect(audio.samples, audio.sampleRate);
    // The synchronous score first, then the search over time scales (speed, tempo, pitch changes).
    std::printf("%s: watermark %s (score %.2f, threshold %.2f, %.2f s, %d blocks; scale search %.2f at x%.4f, "
                "threshold %.2f)\n",
                qPrintable(path), d.detected ? "found" : "not found", d.score, d.threshold, d.secondsAnalysed,
                d.blocksUsed, d.searchScore, d.scale, d.searchThreshold);
    return d.detected ? kFound : kNotFound;
}

// Marks the mono mix at 24 kHz and adds the same mark, brought to the file's rate, to every
// channel: the audio itself is never resampled.
int embed(const echoforge::Watermarker& marker, const QString& in, const QString& out, bool asFloat) {
    echoforge::AudioBuffer audio = echoforge::readAudio(in, echoforge::ChannelMode::Keep);
    const int rate = marker.scheme().sampleRate;
    const echoforge::AudioBuffer mono = echoforge::resample(echoforge::mixToMono(audio), rate);
    std::vector<float> mark = mono.samples;
    marker.embed(mark);
    for (std::size_t i = 0; i < mark.size(); ++i)
        mark[i] -= mono.samples[i];
    const std::vector<float> markAtFileRate =
        echoforge::resample(echoforge::AudioBuffer{std::move(mark), rate, 1}, audio.sampleRate).samples;
    const std::size_t frames = std::min(audio.frames(), markAtFileRate.size());
    for (std::size_t f = 0; f < frames; ++f)
        for (int c = 0; c < audio.channels; ++c)
            audio.samples[f * std::size_t(audio.channels) + std::size_t(c)] += markAtFileRate[f];
    echoforge::writeAudio(out, audio, asFloat ? echoforge::SampleFormat::Float32 : echoforge::SampleFormat::Pcm16);
    std::printf("%s: marked (%.2f s, %d Hz) and written to %s\n", qPrintable(in), audio.durationSeconds(),
                audio.sampleRate, qPrintable(out));
    return kFound;
}

int runWatermark(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Find EchoForge's AI-speech watermark in an audio file (exit 0: found, 1: not found, 2: error),\n"
        "or mark a file with it. The scheme is open: see docs/watermark.md.");
    parser.addHelpOption();
    parser.addPositionalArgument("action", "detect FILE | embed IN OUT");
    QCommandLineOption keyText("key", "Passphrase whose FNV-1a 64 hash is the key (default: the EchoForge key).",
                               "TEXT");
    QCommandLineOption keyHex("key-hex", "The 64-bit key in hexadecimal.", "HEX");
    QCommandLineOption asFloat("float", "embed: write 32-bit float WAV instead of 16-bit.");
    parser.addOptions({keyText, keyHex, asFloat});
    if (!parser.parse(args)) {
        std::fprintf(stderr, "echoforge-cli watermark: %s\n", qPrintable(parser.errorText()));
        return kError;
    }
    if (parser.isSet("help")) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    const bool detectUsage = action == "detect" && positional.size() == 2;
    const bool embedUsage = action == "embed" && positional.size() == 3;
    if (!detectUsage && !embedUsage) {
        std::fprintf(stderr, "echoforge-cli watermark: expected 'detect FILE' or 'embed IN OUT'. "
                             "Run 'echoforge-cli watermark --help'.\n");
        return kError;
    }
    try {
        const echoforge::Watermarker marker(keyFrom(parser, keyText, keyHex));
        return detectUsage ? detect(marker, positional[1])
                           : embed(marker, positional[1], positional[2], parser.isSet(asFloat));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "echoforge-cli watermark: %s\n", e.what());
        return kError;
    }
}

} // namespace

ECHOFORGE_CLI_COMMAND(watermark, "watermark", "Detect (or embed) the AI-speech audio watermark", runWatermark)
