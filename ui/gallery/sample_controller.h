#pragma once
// Plays a character's sample: from the sample cache when it is there, else rendered first as an
// interactive job on the TaskEngine (stored into the cache, not the history). One sample plays
// at a time on its own player; asking for the playing one again stops it.

#include <QObject>
#include <QString>

#include "core/tasks/job.h"

namespace echoforge {
class SampleCache;
class TaskEngine;
class VoiceLibrary;
}

namespace echoforge::ui {

class PlayerController;

class SampleController : public QObject {
    Q_OBJECT
public:
    // All borrowed; `player` is the samples' own player.
    SampleController(TaskEngine* tasks, VoiceLibrary* library, SampleCache* cache, PlayerController* player,
                     QObject* parent = nullptr);

    // `engineId` is the engine that speaks the character ("csm" | "espeak"; "" when none can).
    void toggle(const QString& characterId, const QString& engineId);
    QString busyCharacter() const { return busyId_; }
    QString playingCharacter() const { return playingId_; }

Q_SIGNALS:
    void busyChanged(const QString& characterId, bool busy);
    void playingChanged(const QString& characterId);   // empty: none
    void failed(const QString& sentence);

private:
    void play(const QString& characterId, std::vector<float> audio, int sampleRate);
    void setPlaying(const QString& id);
    void setBusy(const QString& id);

    TaskEngine* tasks_;
    VoiceLibrary* library_;
    SampleCache* cache_;
    PlayerController* player_;
    QString busyId_;
    QString playingId_;
    JobId job_ = 0;
};

} // namespace echoforge::ui
