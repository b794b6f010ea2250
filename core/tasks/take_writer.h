#pragma once
// The work after inference, run in the task engine's pool: finishing the audio (loudness, fades),
// writing the file asked for and the history copy, and the history row. Ordered so a crash at any
// point leaves either a complete entry or a pending job, never a row without its audio.

#include <functional>
#include <vector>

#include "core/tasks/job.h"

namespace echoforge {

class HistoryStore;

// Changes a finished take in place (mono samples at the rate given). Throws echoforge::Error.
using PostProcess = std::function<void(std::vector<float>& samples, int sampleRate)>;

// Loudness normalized to `targetLufs` (core/audio/loudness.h) and a short fade at both ends.
PostProcess loudnessPostProcess(double targetLufs);

struct FinishedTake {
    JobId id = 0;
    SpeechRequest request;
    JobOptions options;
    SpeechResult speech;          // with its audio
    double queuedSeconds = 0;
};

// Post-processes and writes the take; `history` may be null (no history). Throws
// echoforge::Error with the sentence for the job's failure; then nothing of it is left on disk
// in the history folder.
JobResult writeTake(FinishedTake take, const PostProcess& postProcess, HistoryStore* history);

} // namespace echoforge
