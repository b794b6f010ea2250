#pragma once
// What the character panel's buttons do to the voice library: edit, duplicate, delete (with a
// confirmation) and export. Failures come back as sentences through failed().

#include <QObject>

namespace echoforge {
class VoiceLibrary;
}

namespace echoforge::ui {

class CharacterActions : public QObject {
    Q_OBJECT
public:
    // `library` is borrowed; dialogs are parented to `window`.
    CharacterActions(VoiceLibrary* library, QWidget* window);

    void edit(const QString& id);
    // Returns the new character's id, or empty.
    QString duplicate(const QString& id);
    void remove(const QString& id);
    void exportCharacter(const QString& id);

Q_SIGNALS:
    void failed(const QString& sentence);
    void done(const QString& sentence);

private:
    VoiceLibrary* library_;
    QWidget* window_;
};

} // namespace echoforge::ui
