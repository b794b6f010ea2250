#pragma once
// Writes a finished take as a 16-bit PCM mono WAV, atomically: the file appears whole or not at
// all (QSaveFile writes beside it and renames), so a crash never leaves half a file under the name.

#include <span>

#include <QString>

namespace echoforge {

// Creates the parent folder when needed. Throws echoforge::Error naming the file when it cannot
// be written (folder not creatable, disk full, no permission).
void writeWavAtomically(const QString& path, std::span<const float> samples, int sampleRate);

} // namespace echoforge
