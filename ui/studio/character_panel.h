#pragma once
// The selected character at the top of the studio panel: avatar, name, details, description and
// its actions (sample, use, edit, duplicate, delete for user characters, export).

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

    QPushButton* useButton() const { return use_; }

Q_SIGNALS:
    void sampleRequested();
    void useRequested();
    void editRequested();
    void duplicateRequested();
    void deleteRequested();
    void exportRequested();

private:
    QPersistentModelIndex index_;
    std::unique_ptr<AvatarCache> avatars_;
    QLabel* avatar_;
    QLabel* name_;
    QLabel* details_;
    QLabel* description_;
    QPushButton* sample_;
    QPushButton* use_;
    QToolButton* edit_;
    QToolButton* duplicate_;
    QToolButton* delete_;
    QToolButton* export_;
};

} // namespace echoforge::ui
