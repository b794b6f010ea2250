#include "tst_watermark_signals.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include <QStringList>

#include <espeak-ng/speak_lib.h>
#include <sndfile.h>

#include "core/audio/resampler.h"
#include "core/common/error.h"

namespace echoforge::testing {
namespace {

constexpr double kPi = std::numbers::pi;

// Two-pole resonator (a formant): centre `hz`, bandwidth `bandwidthHz`, unit gain at DC-ish levels.
struct Resonator {
    double a1 = 0, a2 = 0, gain = 1, y1 = 0, y2 = 0;
    Resonator(double hz, double bandwidthHz) {
        const double r = std::exp(-kPi * bandwidthHz / kSignalRate);
        a1 = 2.0 * r * std::cos(2.0 * kPi * hz / kSignalRate);
        a2 = -r * r;
        gain = 1.0 - r;
    }
    double step(double x) {
        const double y = gain * x + a1 * y1 + a2 * y2;
        y2 = y1;
        y1 = y;
        return y;
    }
};

void normaliseRms(std::vector<float>& pcm, double dbfs) {
    double energy = 0;
    for (float s : pcm)
        energy += double(s) * s;
    if (energy <= 0)
        return;
    const double scale = std::pow(10.0, dbfs / 20.0) / std::sqrt(energy / double(pcm.size()));
    for (float& s : pcm)
        s = float(s * scale);
}

// Raised-cosine rise and fall over `edge` samples at both ends of [start, start + length).
double edgeEnvelope(std::size_t i, std::size_t length, std::size_t edge) {
    const std::size_t fromEnd = length - 1 - i;
    const std::size_t nearest = std::min(i, fromEnd);
    if (nearest >= edge)
        return 1.0;
    return 0.5 - 0.5 * std::cos(kPi * double(nearest) / double(edge));
}

// The draws every generator makes: uniform numbers in a range and standard normal ones.
class SignalRandom {
public:
    explicit SignalRandom(std::uint64_t seed) : engine_(seed) {}
    double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(engine_); }
    double gauss() { return normal_(engine_); }

private:
    std::mt19937_64 engine_;
    std::normal_distribution<double> normal_{0.0, 1.0};
};

std::vector<short> g_espeakSamples;

int collectEspeak(short* samples, int count, espeak_EVENT*) {
    if (samples && count > 0)
        g_espeakSamples.insert(g_espeakSamples.end(), samples, samples + count);
    return 0;
}

} // namespace

std::vector<float> formantSpeech(std::uint64_t seed, double seconds) {
    SignalRandom random(seed);
    const std::size_t total = std::size_t(seconds * kSignalRate);
    std::vector<float> pcm;
    pcm.reserve(total);
    double phase = 0;
    while (pcm.size() < total) {
        const std::size_t length = std::size_t(random.uniform(0.12, 0.35) * kSignalRate);
        const bool fricative = random.uniform(0, 1) < 0.25;
        Resonator f1(random.uniform(300, 800), 80), f2(random.uniform(900, 2300), 120),
            f3(random.uniform(2400, 3200), 180);
        Resonator hiss(random.uniform(3500, 6500), 2000);
        const double f0Start = random.uniform(90, 240), f0End = f0Start * random.uniform(0.8, 1.2);
        double glottal = 0;
        for (std::size_t i = 0; i < length && pcm.size() < total; ++i) {
            double x;
            if (fricative) {
                x = hiss.step(random.gauss()) * 3.0;
            } else {
                const double f0 = f0Start + (f0End - f0Start) * double(i) / double(length);
                phase += f0 / kSignalRate;
                const double pulse = phase >= 1.0 ? 1.0 : 0.0;
                phase -= std::floor(phase);
                glottal = 0.97 * glottal + pulse;   // -6 dB/octave source tilt
                const double source = glottal + 0.05 * random.gauss();
                x = f3.step(f2.step(f1.step(source)) * 4.0) * 4.0;
            }
            pcm.push_back(float(x * edgeEnvelope(i, length, std::size_t(0.02 * kSignalRate))));
        }
        const std::size_t pause = std::size_t(random.uniform(0.03, 0.2) * kSignalRate);
        for (std::size_t i = 0; i < pause && pcm.size() < total; ++i)
            pcm.push_back(0.0f);
    }
    normaliseRms(pcm, random.uniform(-32, -14));
    return pcm;
}

std::vector<float> espeakSpeech(const QString& text, const char* voice, int rate, int pitch) {
    static const int espeakRate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (espeakRate <= 0)
        throw Error("eSpeak NG could not start: its data files are missing.");
    espeak_SetSynthCallback(collectEspeak);
    if (espeak_SetVoiceByName(voice) != EE_OK)
        throw Error(QStringLiteral("eSpeak NG has no voice '%1'.").arg(voice));
    espeak_SetParameter(espeakRATE, rate, 0);
    espeak_SetParameter(espeakPITCH, pitch, 0);
    g_espeakSamples.clear();
    const QByteArray utf8 = text.toUtf8();
    espeak_Synth(utf8.constData(), std::size_t(utf8.size()) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr,
                 nullptr);
    espeak_Synchronize();
    std::vector<float> pcm(g_espeakSamples.size());
    std::transform(g_espeakSamples.begin(), g_espeakSamples.end(), pcm.begin(),
                   [](short s) { return float(s) / 32768.0f; });
    return resampled(pcm, espeakRate, kSignalRate);
}

QString vocabularySentence(std::span<const char* const> vocabulary, int index, int indexStride, int wordStride) {
    const int count = 10 + index % 11;
    QStringList chosen;
    for (int i = 0; i < count; ++i)
        chosen << QString::fromLatin1(vocabulary[std::size_t((index * indexStride + i * wordStride + i * i) % int(vocabulary.size()))]);
    return chosen.join(' ') + '.';
}

std::vector<float> musicLike(std::uint64_t seed, double seconds) {
    SignalRandom random(seed);
    const std::size_t total = std::size_t(seconds * kSignalRate);
    std::vector<float> pcm(total, 0.0f);
    for (std::size_t start = 0; start < total;) {
        const std::size_t length = std::size_t(random.uniform(0.1, 0.6) * kSignalRate);
        const int voices = random.uniform(0, 1) < 0.3 ? 3 : 1;
        for (int v = 0; v < voices; ++v) {
            const double hz = 110.0 * std::pow(2.0, std::floor(random.uniform(0, 36)) / 12.0);
            const double decay = random.uniform(2.0, 12.0);
            for (std::size_t i = 0; i < length && start + i < total; ++i) {
                const double t = double(i) / kSignalRate;
                double tone = 0;
                for (int h = 1; h <= 8 && h * hz < kSignalRate / 2.0; ++h)
                    tone += std::sin(2.0 * kPi * h * hz * t) / h;
                pcm[start + i] += float(tone * std::exp(-decay * t));
            }
        }
        start += length;
    }
    for (float& s : pcm)
        s += float(0.001 * random.gauss());
    normaliseRms(pcm, random.uniform(-30, -12));
    return pcm;
}

std::vector<float> silenceAndNoise(std::uint64_t seed, double seconds) {
    SignalRandom random(seed);
    const std::size_t total = std::size_t(seconds * kSignalRate);
    std::vector<float> pcm(total, 0.0f);
    const double level = std::pow(10.0, random.uniform(-70, -40) / 20.0);
    Resonator colour(random.uniform(200, 4000), random.uniform(500, 6000));
    for (std::size_t i = 0; i < total; ++i) {
        const bool noisy = std::fmod(double(i) / kSignalRate, 1.0) < 0.6;
        if (noisy)
            pcm[i] = float(level * (0.5 * random.gauss() + 4.0 * colour.step(random.gauss())));
    }
    for (int click = 0; click < 5; ++click)
        pcm[std::size_t(random.uniform(0, double(total - 1)))] = float(random.uniform(-0.3, 0.3));
    return pcm;
}

double markToSignalDb(std::span<const float> original, std::span<const float> marked) {
    double mark = 0, signal = 0;
    for (std::size_t i = 0; i < original.size(); ++i) {
        const double d = double(marked[i]) - original[i];
        mark += d * d;
        signal += double(original[i]) * original[i];
    }
    return 10.0 * std::log10(mark / signal);
}

std::vector<float> resampled(std::span<const float> pcm, int fromRate, int toRate) {
    return resample(AudioBuffer{std::vector<float>(pcm.begin(), pcm.end()), fromRate, 1}, toRate).samples;
}

std::vector<float> quantised16(std::span<const float> pcm) {
    std::vector<float> out(pcm.size());
    std::transform(pcm.begin(), pcm.end(), out.begin(), [](float s) {
        return float(std::clamp(std::lround(double(s) * 32767.0), -32768l, 32767l)) / 32767.0f;
    });
    return out;
}

std::vector<float> withGainDb(std::span<const float> pcm, double db) {
    const float gain = float(std::pow(10.0, db / 20.0));
    std::vector<float> out(pcm.size());
    std::transform(pcm.begin(), pcm.end(), out.begin(), [gain](float s) { return s * gain; });
    return out;
}

double appliedFrequencyFactor(double factor) {
    return double(kSignalRate) / double(std::lround(kSignalRate / factor));
}

std::vector<float> speedChanged(std::span<const float> pcm, double factor) {
    return resampled(pcm, kSignalRate, int(std::lround(kSignalRate / factor)));
}

// Hann frames of 1024 samples (42.7 ms) laid every 512 output samples (they sum to one), each read
// from the input within 256 samples (10.7 ms) of its nominal place, output time x factor, where
// it best continues the input that followed the previous frame (largest cross-correlation over
// half a frame). Where the natural continuation is within reach it is chosen, so the input is
// copied in runs that jump by about a pitch period: the mark's lag jumps with them.
std::vector<float> tempoChanged(std::span<const float> pcm, double factor) {
    constexpr long kFrame = 1024, kHop = kFrame / 2, kTolerance = 256;
    const long inputLength = long(pcm.size());
    const long outputLength = long(double(inputLength) / factor);
    std::vector<double> out(std::size_t(std::max(0l, outputLength) + kFrame), 0.0);
    std::vector<double> window(kFrame);
    for (long n = 0; n < kFrame; ++n)
        window[std::size_t(n)] = 0.5 - 0.5 * std::cos(2.0 * kPi * double(n) / double(kFrame));
    long previous = 0;
    for (long j = 0; j * kHop < outputLength; ++j) {
        const long nominal = std::lround(double(j * kHop) * factor);
        long chosen = nominal;
        if (j > 0) {
            const long natural = previous + kHop;
            double best = -std::numeric_limits<double>::infinity();
            for (long c = std::max(0l, nominal - kTolerance); c <= nominal + kTolerance; ++c) {
                if (c + kFrame > inputLength || natural + kHop > inputLength)
                    break;
                double similarity = 0;
                for (long n = 0; n < kHop; ++n)
                    similarity += double(pcm[std::size_t(c + n)]) * pcm[std::size_t(natural + n)];
                if (similarity > best) {
                    best = similarity;
                    chosen = c;
                }
            }
        }
        if (chosen < 0 || chosen + kFrame > inputLength)
            break;
        for (long n = 0; n < kFrame; ++n)
            out[std::size_t(j * kHop + n)] += window[std::size_t(n)] * pcm[std::size_t(chosen + n)];
        previous = chosen;
    }
    out.resize(std::size_t(std::max(0l, outputLength)));
    return std::vector<float>(out.begin(), out.end());
}

std::vector<float> pitchShifted(std::span<const float> pcm, double factor) {
    const std::vector<float> faster = speedChanged(pcm, factor);
    return tempoChanged(faster, double(faster.size()) / double(pcm.size()));
}

std::vector<float> throughCodec(std::span<const float> pcm, int sampleRate, int sndfileFormat, const QString& path,
                                double compressionLevel) {
    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = 1;
    info.format = sndfileFormat;
    const QByteArray file = path.toLocal8Bit();
    SNDFILE* out = sf_open(file.constData(), SFM_WRITE, &info);
    if (!out)
        throw Error(QStringLiteral("libsndfile cannot write %1: %2").arg(path, sf_strerror(nullptr)));
    if (compressionLevel >= 0.0)
        sf_command(out, SFC_SET_COMPRESSION_LEVEL, &compressionLevel, sizeof(compressionLevel));
    sf_write_float(out, pcm.data(), sf_count_t(pcm.size()));
    sf_close(out);
    SF_INFO readInfo{};
    SNDFILE* in = sf_open(file.constData(), SFM_READ, &readInfo);
    if (!in)
        throw Error(QStringLiteral("libsndfile cannot read back %1: %2").arg(path, sf_strerror(nullptr)));
    std::vector<float> decoded(std::size_t(readInfo.frames) * std::size_t(readInfo.channels));
    decoded.resize(std::size_t(sf_read_float(in, decoded.data(), sf_count_t(decoded.size()))));
    sf_close(in);
    return decoded;
}

} // namespace echoforge::testing
