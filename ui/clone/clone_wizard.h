#pragma once
// Voice cloning in three steps: a recording (imported or from the microphone), trimmed and
// transcribed, then a profile (name, gender, styles) with a test sentence before saving it as a
// character in the voice library.

#include <QTemporaryDir>
#include <QWizard>

#include "core/tasks/job.h"
#include "core/voices/character.h"
#include "ui/clone/clone_draft.h"

namespace echoforge {
class TaskEngine;
class VoiceLibrary;
}

namespace echoforge::ui {

class CloneProfilePage;
class CloneSourcePage;
class CloneTrimPage;
class PlayerController;

class CloneWizard : public QWizard {
    Q_OBJECT
public:
    // All borrowed; `player` plays the test sentence.
    CloneWizard(VoiceLibrary* library, TaskEngine* tasks, PlayerController* player, QWidget* parent = nullptr);

    CloneSourcePage* sourcePage() const { return source_; }
    CloneTrimPage* trimPage() const { return trim_; }
    CloneProfilePage* profilePage() const { return profile_; }
    const CloneDraft& draft() const { return draft_; }

    // Writes the kept part and adds the character (the file work off the GUI thread);
    // saved() or saveFailed() follow.
    void save();
    bool isSaved() const { return saved_; }
    // Speaks the profile page's test sentence in the cloned voice (CSM only).
    void trySentence(const QString& text);

Q_SIGNALS:
    void saved(const echoforge::Character& character);
    void saveFailed(const QString& sentence);
    void trySentenceFailed(const QString& sentence);

private:
    QString writeKeptClip();   // runs in the pool
    Character draftCharacter(const QString& clipPath) const;

    VoiceLibrary* library_;
    TaskEngine* tasks_;
    PlayerController* player_;
    CloneDraft draft_;
    QTemporaryDir scratch_;
    CloneSourcePage* source_;
    CloneTrimPage* trim_;
    CloneProfilePage* profile_;
    bool saved_ = false;
    bool saving_ = false;
    JobId tryJob_ = 0;
};

} // namespace echoforge::ui
