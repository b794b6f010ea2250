#pragma once
// Reading and writing audio files with libsndfile: WAV, FLAC, OGG and MP3 in; WAV and FLAC out.

#include <QString>

#include "core/audio/audio_buffer.h"

namespace echoforge {

enum class ChannelMode { Keep, MixToMono };

// Reads a whole file at its own rate. Throws echoforge::Error naming the file when it is missing,
// unreadable, not audio, or holds no samples.
AudioBuffer readAudio(const QString& path, ChannelMode mode = ChannelMode::Keep);

enum class SampleFormat { Pcm16, Float32 };

// Writes WAV (".wav": 16-bit PCM or 32-bit float) or FLAC (".flac": 16-bit; Float32 is written as
// 24-bit) chosen by the file suffix. Samples beyond [-1, 1] are clipped for the integer formats.
// Creates the parent folder. Throws echoforge::Error naming the file on failure or an unknown suffix.
void writeAudio(const QString& path, const AudioBuffer& audio, SampleFormat format = SampleFormat::Pcm16);

// Whether writeAudio() knows the suffix of `path`.
bool isWritableAudioSuffix(const QString& path);

} // namespace echoforge
