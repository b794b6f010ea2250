#pragma once
// Choosing a character's CSM voice: N takes of its sample line with different seeds run as
// ordinary jobs; the user listens to each and keeps one as the character's anchor
// (core/voices/voice_anchor.h), auditions again with new seeds, or resets the kept voice.

#include <QDialog>
#include <QHash>
#include <QTemporaryDir>

#include "core/engine/speech_engine.h"
#include "core/tasks/job.h"

class QLabel;
class QListView;
class QPushButton;
class QSpinBox;
class QStandardItemModel;

namespace echoforge {
class TaskEngine;
}

namespace echoforge::ui {

class PlayerController;

class AuditionDialog : public QDialog {
    Q_OBJECT
public:
    // `params` gives temperature and top-k; each take gets its own seed.
    AuditionDialog(TaskEngine* tasks, PlayerController* player, Character character, QString anchorsDir,
                   GenerationParams params, QWidget* parent = nullptr);
    ~AuditionDialog() override;

    // Queues a round of `count` takes (the first round when none ran yet). Public for tests.
    void audition(int count);
    QStandardItemModel* takes() const { return takes_; }
    // Keeps the selected take, or the given row's; false (with the reason shown) when it cannot.
    bool keepTake(int row);

Q_SIGNALS:
    void voiceChanged(const QString& characterId);   // kept or reset

private:
    enum Role { SeedRole = Qt::UserRole + 1, JobRole, PathRole, ReadyRole };
    void onFinished(JobId id, const JobResult& result);
    void onEnded(JobId id, const QString& why);
    int rowOf(JobId id) const;
    int selectedRow() const;
    void updateButtons();
    void showStatus(const QString& text);
    void cancelRunning();

    TaskEngine* tasks_;
    PlayerController* player_;
    Character character_;
    QString anchorsDir_;
    GenerationParams params_;
    QTemporaryDir folder_;            // the takes until one is kept (a copy goes to the anchor)
    int round_ = 0;
    QStandardItemModel* takes_;
    QListView* list_;
    QSpinBox* count_;
    QLabel* status_;
    QPushButton* play_;
    QPushButton* keep_;
    QPushButton* again_;
    QPushButton* reset_;
};

} // namespace echoforge::ui
