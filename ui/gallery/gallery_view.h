#pragma once
// The character gallery: cards in a grid that reflows with the width, arrow keys to move, Enter
// to use the selected character. When nothing matches it says so and offers to clear the filters.
// The invitation card of a CloneInviteModel is never selected: a click on it asks for cloning.

#include <QListView>
#include <QTimer>

class QLabel;
class QPushButton;

namespace echoforge::ui {

class CharacterCardDelegate;

class GalleryView : public QListView {
    Q_OBJECT
public:
    explicit GalleryView(QWidget* parent = nullptr);

    void setModel(QAbstractItemModel* model) override;
    CharacterCardDelegate* cardDelegate() const { return delegate_; }
    // The sentence shown when the model is empty ("No characters match 'zz'.").
    void setEmptyMessage(const QString& message);
    bool showsEmptyState() const;

    // Sample states drawn on the cards.
    void setSampleBusy(const QString& id, bool busy);
    void setSamplePlaying(const QString& id);

Q_SIGNALS:
    void sampleRequested(const QModelIndex& index);
    void clearFiltersRequested();
    void cloneRequested();

protected:
    void resizeEvent(QResizeEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    QModelIndex moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers) override;

private:
    void updateEmptyState();
    static bool isInvitation(const QModelIndex& index);

    CharacterCardDelegate* delegate_;
    QWidget* empty_;
    QLabel* emptyLabel_;
    QTimer spinner_;
};

} // namespace echoforge::ui
