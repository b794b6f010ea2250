#include "ui/voice/voice_actions.h"

#include <QWidget>

#include "core/common/error.h"
#include "core/tasks/audition.h"
#include "core/voices/character_model.h"
#include "core/voices/voice_library.h"
#include "ui/voice/audition_dialog.h"
#include "ui/voice/lexicon_dialog.h"

namespace echoforge::ui {

VoiceActions::VoiceActions(TaskEngine* tasks, PlayerController* player, VoiceLibrary* library, CharacterModel* characters,
                           AppPaths paths, QWidget* window)
    : QObject(window), tasks_(tasks), player_(player), library_(library), characters_(characters),
      paths_(std::move(paths)), window_(window) {
    characters_->setAnchorsDir(paths_.anchorsDir);
}

void VoiceActions::audition(const QString& characterId, const GenerationParams& params) {
    const auto character = library_->find(characterId);
    if (!character)
        return;
    auto* dialog = new AuditionDialog(tasks_, player_, *character, paths_.anchorsDir, params, window_);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AuditionDialog::voiceChanged, this, [this](const QString& id) {
        characters_->refreshVoiceStates();
        Q_EMIT voiceChanged(id);
    });
    dialog->open();
    dialog->audition(kDefaultAuditionCount);
}

void VoiceActions::editLexicon(const QString& characterId, const QString& previewText) {
    Character character;
    if (const auto found = library_->find(characterId))
        character = *found;
    auto* dialog = new LexiconDialog(paths_.lexiconsDir, character,
                                     previewText.trimmed().isEmpty() ? character.sampleText : previewText, window_);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

QString VoiceActions::noticeTake(const JobResult& result) {
    for (const QString& note : result.speech.notes) {
        if (note.contains(QLatin1String("became its voice"))) {
            characters_->refreshVoiceStates();
            return note;
        }
    }
    return {};
}

} // namespace echoforge::ui
