#pragma once
// Test signals for the watermark, all 24 kHz mono: synthetic speech (formant-shaped pulses and
// noise), real synthetic speech from libespeak-ng, music-like tones, and silence with noise.
// Deterministic for a given seed. Plus the attacks a marked clip must survive.

#include <cstdint>
#include <span>
#include <vector>

#include <QString>

namespace echoforge::testing {

inline constexpr int kSignalRate = 24000;

// Syllables of a glottal pulse train and aspiration through three formant resonators, with
// fricatives and pauses between them; a random level between -32 and -14 dBFS RMS.
std::vector<float> formantSpeech(std::uint64_t seed, double seconds);

// eSpeak NG speaking `text` (voice, rate in words per minute, pitch 0-100), resampled to 24 kHz.
// Throws echoforge::Error when eSpeak NG cannot start.
std::vector<float> espeakSpeech(const QString& text, const char* voice, int rate, int pitch);

// Sentence `index` of 10 to 20 words from `vocabulary`: word i is vocabulary[(index * indexStride
// + i * wordStride + i²) mod size], so eSpeak NG says something different for every index. Each
// test passes its own vocabulary and strides, so their clips differ.
QString vocabularySentence(std::span<const char* const> vocabulary, int index, int indexStride, int wordStride);

// Notes of decaying harmonic tones, sometimes chords, with a little noise.
std::vector<float> musicLike(std::uint64_t seed, double seconds);

// Digital silence interrupted by stretches of low noise and a few clicks.
std::vector<float> silenceAndNoise(std::uint64_t seed, double seconds);

// 10 log10(energy of (marked - original) / energy of original).
double markToSignalDb(std::span<const float> original, std::span<const float> marked);

// Attacks.
std::vector<float> resampled(std::span<const float> pcm, int fromRate, int toRate);
std::vector<float> quantised16(std::span<const float> pcm);
std::vector<float> withGainDb(std::span<const float> pcm, double db);
// Desynchronisation, all at 24 kHz in and out. Speed: the clip played `factor` times faster
// (resampled to round(24000 / factor) Hz and read as 24 kHz), so frequencies rise by
// 24000 / round(24000 / factor) and the clip gets shorter by as much.
std::vector<float> speedChanged(std::span<const float> pcm, double factor);
// Tempo: `factor` times faster with the pitch kept, by WSOLA (Verhelst and Roelands 1993).
std::vector<float> tempoChanged(std::span<const float> pcm, double factor);
// Pitch: frequencies `factor` times higher with the duration kept (speed change, then WSOLA back).
std::vector<float> pitchShifted(std::span<const float> pcm, double factor);
// The frequency factor speedChanged and pitchShifted really apply (the resampling rate is whole).
double appliedFrequencyFactor(double factor);
// Encodes to a file of the given libsndfile major|subtype format and decodes it back (same rate).
// `compressionLevel` in [0, 1] (libsndfile's SFC_SET_COMPRESSION_LEVEL: 0 best quality, 1 smallest
// file); negative keeps the codec's default. Throws echoforge::Error when libsndfile cannot write it.
std::vector<float> throughCodec(std::span<const float> pcm, int sampleRate, int sndfileFormat, const QString& path,
                                double compressionLevel = -1.0);

} // namespace echoforge::testing
