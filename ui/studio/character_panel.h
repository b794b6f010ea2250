#pragma once
// The selected character at the top of the studio panel: avatar, name, details, description and
// its actions (sample, use, edit, duplicate, delete for user characters, export), and whether its
// CSM voice is set, with the way to choose it (audition) and to fix pronunciations.

#include <QPersistentModelIndex>
#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;

namespace echoforge::ui {

class AvatarCache;

class CharacterPanel : public QWidget {
    Q_OBJECT
public:
    explicit CharacterPanel(QWidget* parent = nullptr);
    ~CharacterPanel() override;

    // Shows the character at `index` (roles of CharacterModel); an invalid index shows nothing.
    void setCharacter(const QModelIndex& index);
    QString characterId() const;
    void setSampleState(bool busy, bool playing);
    // "clip" | "chosen" | "first-use" | "none" (CharacterModel::VoiceStateRole).
    void setVoiceState(const QString& state);

    QPushButton* useButton() const { return use_; }

Q_SIGNALS:
    void sampleRequested();
    void useRequested();
    void editRequested();
    void duplicateRequested();
    void deleteRequested();
    void exportRequested();
    void auditionRequested();   // choose the character's CSM voice
    void lexiconRequested();    // edit how words are pronounced

private:
    QPersistentModelIndex index_;
    std::unique_ptr<AvatarCache> avatars_;
    QLabel* avatar_;
    QLabel* name_;
    QLabel* details_;
    QLabel* description_;
    QLabel* voiceState_;        // whether the CSM voice is set (VoiceStateRole)
    QPushButton* audition_;
    QPushButton* lexicon_;
    QPushButton* sample_;
    QPushButton* use_;
    QToolButton* edit_;
    QToolButton* duplicate_;
    QToolButton* delete_;
    QToolButton* export_;
};

} // namespace echoforge::ui
