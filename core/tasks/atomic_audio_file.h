#pragma once
// Writes a finished take so that the file appears whole or not at all: core/audio's writer
// fills a temporary file beside the target, which is then renamed over it (rename(2) is atomic
// within a folder). A crash or kill -9 never leaves half a file under the name.

#include <span>

#include <QString>

namespace echoforge {

// Mono samples at `sampleRate`; the format follows the suffix (.wav: 16-bit PCM, .flac).
// Creates the parent folder. Throws echoforge::Error naming the file or folder on failure.
void writeAudioAtomically(const QString& path, std::span<const float> samples, int sampleRate);

// Removes the temporaries a killed writeAudioAtomically() left in `folder` (".<name>.XXXXXX.<suffix>")
// and returns how many. Only for a folder no one else is writing in at the time (the task engine
// calls it holding the history lock).
int removeStaleAudioTemporaries(const QString& folder);

} // namespace echoforge
