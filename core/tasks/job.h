#pragma once
// What a generation job is: its id, priority, engine choice, options, state and result.
// Plain values: they cross threads through queued signals and the history database.

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include <QMetaType>
#include <QVector>
#include <QString>

#include "core/common/error.h"
#include "core/engine/speech_engine.h"

namespace echoforge {

using JobId = qint64;

// Interactive previews go before normal requests, which go before batch work; FIFO within one.
enum class JobPriority { Batch = 0, Normal = 1, Interactive = 2 };

// Which engine speaks a request. Auto: CSM when it is installed and loads, else eSpeak NG.
enum class EngineSelection { Auto, Csm, Espeak };

enum class JobState { Queued, Running, Writing, Finished, Failed, Cancelled };

struct JobOptions {
    JobPriority priority = JobPriority::Normal;
    EngineSelection engine = EngineSelection::Auto;
    QString outputPath;          // where the WAV goes; empty: only the history folder's copy
    bool keepInHistory = true;   // false: no history entry and no history copy of the audio
};

struct JobResult {
    JobId id = 0;
    QString audioPath;           // the WAV the caller asked for (outputPath, else the history copy)
    QString historyAudioPath;    // the history copy; empty when keepInHistory was false
    SpeechResult speech;         // what the engine reported; its `audio` is moved into `audio` below
    std::shared_ptr<const std::vector<float>> audio;   // 24 kHz mono, shared so copies are cheap
    double queuedSeconds = 0;    // from submit to the start of inference
    double writeSeconds = 0;     // writing the WAV files and the history entry

    double durationSeconds() const { return audio ? double(audio->size()) / speech.sampleRate : 0.0; }
};

// What the queue shows about a job from the moment it is accepted.
struct JobSummary {
    JobId id = 0;
    QString text;
    QString characterName;
    JobPriority priority = JobPriority::Normal;
    EngineSelection engine = EngineSelection::Auto;
};

// Where a job stands, for the queue view.
struct JobProgress {
    int unitsDone = 0;
    int unitsTotal = 0;
    double audioSeconds = 0;
    double etaSeconds = -1;      // negative: not known yet
};

// What `co_await TaskEngine::generate()` throws for a job cancelled before it finished.
class JobCancelled : public Error {
public:
    explicit JobCancelled(JobId id) : Error(QStringLiteral("Job %1 was cancelled.").arg(id)) {}
};

QString jobPriorityName(JobPriority p);     // "batch" | "normal" | "interactive"
JobPriority jobPriorityFromName(const QString& name, JobPriority fallback = JobPriority::Normal);
QString engineSelectionName(EngineSelection c);   // "auto" | "csm" | "espeak"
// Throws echoforge::Error naming the accepted values for anything else.
EngineSelection engineSelectionFromName(const QString& name);
QString jobStateName(JobState s);           // "queued" | "running" | "writing" | ...
bool isTerminal(JobState s);

} // namespace echoforge

Q_DECLARE_METATYPE(echoforge::JobResult)
Q_DECLARE_METATYPE(echoforge::JobProgress)
Q_DECLARE_METATYPE(echoforge::JobState)
Q_DECLARE_METATYPE(echoforge::JobSummary)
