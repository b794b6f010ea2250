#include "core/tasks/take_writer.h"

#include <QElapsedTimer>
#include <QFile>

#include "core/audio/loudness.h"
#include "core/audio/silence.h"
#include "core/tasks/atomic_audio_file.h"
#include "core/tasks/history_store.h"

namespace echoforge {
namespace {

constexpr double kEdgeFadeSeconds = 0.005;   // no click at the file's ends

HistoryEntry historyEntryFor(const FinishedTake& take, const JobResult& r) {
    HistoryEntry e;
    e.id = take.id;
    e.createdAt = QDateTime::currentDateTimeUtc();
    e.request = take.request;
    e.engineId = r.speech.engineId;
    e.engineName = r.speech.engineName;
    e.seed = r.speech.seed;
    e.durationSeconds = r.durationSeconds();
    e.generationSeconds = r.speech.generationSeconds;
    e.firstAudioSeconds = r.speech.firstAudioSeconds;
    e.queuedSeconds = take.queuedSeconds;
    e.audioPath = r.historyAudioPath;
    e.notes = r.speech.notes;
    return e;
}

} // namespace

PostProcess loudnessPostProcess(double targetLufs) {
    return [targetLufs](std::vector<float>& samples, int sampleRate) {
        AudioBuffer buffer{std::move(samples), sampleRate, 1};
        normalizeLoudness(buffer, targetLufs);
        applyFades(buffer, kEdgeFadeSeconds, kEdgeFadeSeconds);
        samples = std::move(buffer.samples);
    };
}

JobResult writeTake(FinishedTake take, const PostProcess& postProcess, HistoryStore* history) {
    QElapsedTimer clock;
    clock.start();
    std::vector<float> samples = std::move(take.speech.audio);
    take.speech.audio = {};
    if (samples.empty())
        throw Error(QStringLiteral("%1 made no audio for this text.").arg(take.speech.engineName));
    if (postProcess && !take.speech.postProcessed)
        postProcess(samples, take.speech.sampleRate);

    JobResult r;
    r.id = take.id;
    r.speech = take.speech;
    r.audio = std::make_shared<const std::vector<float>>(std::move(samples));
    r.queuedSeconds = take.queuedSeconds;
    const bool keep = history && take.options.keepInHistory;

    // The file asked for first: it is the likeliest to fail (a wrong folder, a full disk).
    if (!take.options.outputPath.isEmpty())
        writeAudioAtomically(take.options.outputPath, *r.audio, r.speech.sampleRate);
    if (keep) {
        r.historyAudioPath = history->audioPathFor(take.id);
        writeAudioAtomically(r.historyAudioPath, *r.audio, r.speech.sampleRate);
    }
    r.audioPath = take.options.outputPath.isEmpty() ? r.historyAudioPath : take.options.outputPath;
    r.writeSeconds = clock.nsecsElapsed() / 1e9;
    if (keep) {
        try {
            history->recordFinished(historyEntryFor(take, r));   // also forgets the pending row
        } catch (const Error&) {
            QFile::remove(r.historyAudioPath);   // no entry points at it
            throw;
        }
    } else if (history) {
        history->removePending(take.id);
    }
    return r;
}

} // namespace echoforge
