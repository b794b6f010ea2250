#pragma once
// Paints one character as a card: avatar, name, gender and age, style chips, a badge for the
// engine that will speak it, and a play button for its sample; or the invitation to clone a voice.
// Paints and forwards clicks only.

#include <QSet>
#include <QStyledItemDelegate>

#include "ui/gallery/avatar_cache.h"

namespace echoforge::ui {

class CharacterCardDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr QSize kCardSize{176, 220};
    static constexpr int kGap = 12;

    explicit CharacterCardDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

    // The play button's rectangle on a card placed at `cardRect`.
    static QRect playButtonRect(const QRect& cardRect);

    // Sample states shown on the cards (by character id).
    void setSampleBusy(const QString& id, bool busy);
    void setSamplePlaying(const QString& id);   // empty: none
    bool anyBusy() const { return !busy_.isEmpty(); }
    void advanceSpinner() { spinnerAngle_ = (spinnerAngle_ + 30) % 360; }
    void clearAvatars() { avatars_.clear(); }

Q_SIGNALS:
    void sampleClicked(const QModelIndex& index);

private:
    // The card that invites the user to clone a voice (CloneInviteModel's extra row).
    void paintInvitation(QPainter* painter, const QStyleOptionViewItem& option) const;

    mutable AvatarCache avatars_;
    QSet<QString> busy_;
    QString playing_;
    int spinnerAngle_ = 0;
};

// "Female · 30s" from the model's gender and age range.
QString genderAgeLine(const QString& gender, const QString& ageRange);
// What a card shows besides the name, as one line a screen reader can read (the card is
// painted, so its text is not there to read): "Female · 30s · warm, narrator · speaks with CSM".
QString cardDescription(const QModelIndex& index);

} // namespace echoforge::ui
