#include "ui/clone/clone_wizard.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QLineEdit>
#include <QtConcurrent>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_clone.h"
#include "core/voices/voice_library.h"
#include "ui/clone/clone_profile_page.h"
#include "ui/clone/clone_source_page.h"
#include "ui/clone/clone_trim_page.h"
#include "ui/player/player_controller.h"
#include "ui/studio/character_edit_dialog.h"

namespace echoforge::ui {

CloneWizard::CloneWizard(VoiceLibrary* library, TaskEngine* tasks, PlayerController* player, QWidget* parent)
    : QWizard(parent), library_(library), tasks_(tasks), player_(player) {
    setWindowTitle(tr("Clone a voice"));
    setAccessibleName(tr("Clone a voice"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage, false);
    source_ = new CloneSourcePage(&draft_, this);
    trim_ = new CloneTrimPage(&draft_, this);
    profile_ = new CloneProfilePage(this, tasks_->csmInstalled(), this);
    addPage(source_);
    addPage(trim_);
    addPage(profile_);
    resize(640, 520);

    connect(tasks_, &TaskEngine::finished, this, [this](JobId id, const JobResult& r) {
        if (id != tryJob_ || !r.audio) return;
        tryJob_ = 0;
        player_->setClip(*r.audio, r.speech.sampleRate, tr("Test sentence"));
        player_->play();
    });
    connect(tasks_, &TaskEngine::failed, this, [this](JobId id, const QString& sentence) {
        if (id != tryJob_) return;
        tryJob_ = 0;
        Q_EMIT trySentenceFailed(sentence);
    });
}

QString CloneWizard::writeKeptClip() {
    const QString path = scratch_.filePath(QStringLiteral("clip-%1-%2.wav").arg(draft_.keepFrom).arg(draft_.keepTo));
    const auto kept = draft_.kept();
    writeAudio(path, AudioBuffer{std::vector<float>(kept.begin(), kept.end()), draft_.sampleRate, 1},
               SampleFormat::Float32);
    return path;
}

Character CloneWizard::draftCharacter(const QString& clipPath) const {
    Character c;
    c.name = profile_->nameField()->text().trimmed();
    c.segments = {ReferenceSegment{clipPath, draft_.transcript, 0}};
    return c;
}

void CloneWizard::save() {
    if (saving_ || saved_) return;
    saving_ = true;
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        watcher->deleteLater();
        saving_ = false;
        QString clip;
        try {
            clip = watcher->result();
        } catch (const Error& e) {
            Q_EMIT saveFailed(e.sentence());
            return;
        }
        CloneRequest request;
        request.name = profile_->nameField()->text().trimmed();
        request.audioPath = clip;
        request.transcript = draft_.transcript;
        request.gender = profile_->genderBox()->currentData().toString();
        request.styles = parseStyleList(profile_->stylesField()->text());
        request.description = profile_->descriptionField()->text().trimmed();
        // Without one, core would name the file it is given: the wizard's scratch clip.
        if (request.description.isEmpty())
            request.description = draft_.sourceName.isEmpty() ? tr("Cloned from a recording.")
                                                             : tr("Cloned from %1.").arg(draft_.sourceName);
        try {
            // Converting a clip of at most 30 s is quick; the library is only used on this thread.
            const Character character = cloneCharacter(*library_, request);
            saved_ = true;
            Q_EMIT saved(character);
            accept();
        } catch (const Error& e) {
            Q_EMIT saveFailed(e.sentence());
        }
    });
    watcher->setFuture(QtConcurrent::run([this] { return writeKeptClip(); }));
}

void CloneWizard::trySentence(const QString& text) {
    if (text.trimmed().isEmpty() || tryJob_ != 0) return;
    SpeechRequest request;
    request.text = text;
    try {
        request.character = draftCharacter(writeKeptClip());
        JobOptions options;
        options.priority = JobPriority::Interactive;
        options.engine = EngineSelection::Csm;
        options.keepInHistory = false;
        tryJob_ = tasks_->submit(request, options);
    } catch (const Error& e) {
        Q_EMIT trySentenceFailed(e.sentence());
    }
}

} // namespace echoforge::ui
