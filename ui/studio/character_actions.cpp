#include "ui/studio/character_actions.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QStandardPaths>

#include "core/common/error.h"
#include "core/voices/voice_library.h"
#include "ui/studio/character_edit_dialog.h"

namespace echoforge::ui {

CharacterActions::CharacterActions(VoiceLibrary* library, QWidget* window)
    : QObject(window), library_(library), window_(window) {}

void CharacterActions::edit(const QString& id) {
    const auto character = library_->find(id);
    if (!character) return;
    CharacterEditDialog dialog(*character, window_);
    if (dialog.exec() != QDialog::Accepted) return;
    try {
        library_->saveUserCharacter(dialog.character());
        Q_EMIT done(tr("Saved %1.").arg(dialog.character().name));
    } catch (const Error& e) {
        Q_EMIT failed(e.sentence());
    }
}

QString CharacterActions::duplicate(const QString& id) {
    try {
        const Character copy = library_->duplicate(id);
        Q_EMIT done(tr("Made %1.").arg(copy.name));
        return copy.id;
    } catch (const Error& e) {
        Q_EMIT failed(e.sentence());
        return {};
    }
}

void CharacterActions::remove(const QString& id) {
    const auto character = library_->find(id);
    if (!character) return;
    const auto answer = QMessageBox::question(
        window_, tr("Delete %1?").arg(character->name),
        tr("Delete %1 and its recordings? This cannot be undone.").arg(character->name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes) return;
    try {
        library_->removeUserCharacter(id);
        Q_EMIT done(tr("Deleted %1.").arg(character->name));
    } catch (const Error& e) {
        Q_EMIT failed(e.sentence());
    }
}

void CharacterActions::exportCharacter(const QString& id) {
    const auto character = library_->find(id);
    if (!character) return;
    const QString start = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + '/' + character->id + ".zip";
    const QString path = QFileDialog::getSaveFileName(window_, tr("Export %1").arg(character->name), start,
                                                      tr("Zip archive (*.zip)"));
    if (path.isEmpty()) return;
    try {
        library_->exportCharacter(id, path);
        Q_EMIT done(tr("Exported %1 to %2.").arg(character->name, path));
    } catch (const Error& e) {
        Q_EMIT failed(e.sentence());
    }
}

} // namespace echoforge::ui
