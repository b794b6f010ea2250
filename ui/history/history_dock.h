#pragma once
// The history as a side panel: search, and for the selected take Replay, Export (WAV or FLAC),
// Reuse (its text, character and parameters go back into the studio) and Delete.

#include <QDockWidget>

#include "core/tasks/history_store.h"

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

namespace echoforge {
class HistoryModel;
}

namespace echoforge::ui {

class HistoryDock : public QDockWidget {
    Q_OBJECT
public:
    // `model` is borrowed.
    explicit HistoryDock(HistoryModel* model, QWidget* parent = nullptr);

    QListView* view() const { return view_; }
    QLineEdit* searchField() const { return search_; }

Q_SIGNALS:
    void replayRequested(const echoforge::HistoryEntry& entry);
    void exportRequested(const echoforge::HistoryEntry& entry);
    void reuseRequested(const echoforge::HistoryEntry& entry);
    void failed(const QString& sentence);

private:
    void showSelected();
    HistoryEntry selected() const;

    HistoryModel* model_;
    QLineEdit* search_;
    QListView* view_;
    QLabel* details_;
    QPushButton* replay_;
    QPushButton* export_;
    QPushButton* reuse_;
    QPushButton* delete_;
};

} // namespace echoforge::ui
