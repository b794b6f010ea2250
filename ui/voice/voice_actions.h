#pragma once
// The studio's voice actions for the selected character: audition its CSM voice, edit the
// pronunciation lexicon, and notice when a take anchored a voice at first use.

#include <QObject>
#include <QPointer>

#include "core/common/paths.h"
#include "core/engine/speech_engine.h"
#include "core/tasks/job.h"

class QWidget;

namespace echoforge {
class CharacterModel;
class TaskEngine;
class VoiceLibrary;
}

namespace echoforge::ui {

class PlayerController;

class VoiceActions : public QObject {
    Q_OBJECT
public:
    VoiceActions(TaskEngine* tasks, PlayerController* player, VoiceLibrary* library, CharacterModel* characters,
                 AppPaths paths, QWidget* window);

    void audition(const QString& characterId, const GenerationParams& params);
    void editLexicon(const QString& characterId, const QString& previewText);
    // After a take: a character that had no CSM voice got one. Returns the sentence to show
    // (empty when nothing changed) and refreshes the gallery's voice states.
    QString noticeTake(const JobResult& result);

Q_SIGNALS:
    void voiceChanged(const QString& characterId);
    void failed(const QString& sentence);

private:
    TaskEngine* tasks_;
    PlayerController* player_;
    VoiceLibrary* library_;
    CharacterModel* characters_;
    AppPaths paths_;
    QWidget* window_;
};

} // namespace echoforge::ui
