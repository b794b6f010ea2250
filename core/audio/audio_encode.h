#pragma once
// Encoding a take into the bytes of an audio file in memory (for the HTTP API), with libsndfile's
// virtual I/O: WAV (16-bit), FLAC (16-bit), Ogg Vorbis, Ogg Opus, and raw 16-bit little-endian PCM.
// A streamed WAV or PCM response starts with wavStreamHeader() and continues with pcm16() pieces.

#include <span>

#include <QByteArray>
#include <QString>

namespace echoforge {

enum class AudioFormat { Wav, Flac, Ogg, Opus, Pcm };

// "wav", "flac", "ogg", "opus", "pcm": throws Error (InvalidInput) naming the accepted ones.
AudioFormat audioFormatFromName(const QString& name);
QString audioFormatName(AudioFormat format);
QByteArray audioMimeType(AudioFormat format);
// Whether this libsndfile can write the format (Opus needs libsndfile 1.0.29 built with it).
bool canEncode(AudioFormat format);

// The whole file. Throws Error when libsndfile refuses (naming the format).
QByteArray encodeAudio(std::span<const float> mono, int sampleRate, AudioFormat format);

// Little-endian signed 16-bit samples, clipped to [-1, 1].
QByteArray pcm16(std::span<const float> mono);
// A WAV header for 16-bit mono at `sampleRate` whose sizes say "unknown length" (0xFFFFFFFF), as
// streaming servers send it: players read until the connection ends.
QByteArray wavStreamHeader(int sampleRate);

} // namespace echoforge
