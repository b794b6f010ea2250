#pragma once
// Many chips, one Tab stop: Tab enters the group at the chip last focused and leaves it at
// once; the arrow keys (and Home, End) move between the chips, Space or Return toggles one.
// Exclusive QButtonGroups get this from Qt; a group of independent toggles (the style filter)
// does not, and 25 style chips were 25 Tabs.

#include <QList>
#include <QObject>
#include <QPointer>

class QAbstractButton;

namespace echoforge::ui {

class ChipFocusGroup : public QObject {
    Q_OBJECT
public:
    explicit ChipFocusGroup(QObject* parent = nullptr);

    // The chips in reading order (borrowed; a chip deleted later simply drops out). The chip
    // that had the group's Tab stop keeps it when it is still there, else the first one.
    void setChips(const QList<QAbstractButton*>& chips);
    QAbstractButton* tabStop() const { return tabStop_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void makeTabStop(QAbstractButton* chip);

    QList<QPointer<QAbstractButton>> chips_;
    QPointer<QAbstractButton> tabStop_;
};

} // namespace echoforge::ui
