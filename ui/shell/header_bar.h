#pragma once
// The strip across the top: the app's name, the engine chip (which engine speaks), and buttons
// for the queue and history panels, cloning, settings, help and a menu of the rest (backup).

#include <QWidget>

class QLabel;
class QToolButton;

namespace echoforge::ui {

class HeaderBar : public QWidget {
    Q_OBJECT
public:
    explicit HeaderBar(QWidget* parent = nullptr);

    // e.g. "eSpeak NG", "CSM-1B · CPU"; `fallback` paints it quieter.
    void setEngine(const QString& text, bool fallback);
    QString engineText() const;
    // The number on the queue button (jobs waiting or running).
    void setQueueCount(int count);

    QToolButton* queueButton() const { return queue_; }
    QToolButton* historyButton() const { return history_; }
    QToolButton* menuButton() const { return menu_; }

Q_SIGNALS:
    void queueToggled(bool shown);
    void historyToggled(bool shown);
    void cloneRequested();
    void settingsRequested();
    void helpRequested();
    void diagnosticsRequested();
    void aboutRequested();
    void backupRequested();
    void restoreRequested();

protected:
    void paintEvent(QPaintEvent*) override;

private:
    QLabel* engine_;
    QToolButton* queue_;
    QToolButton* history_;
    QToolButton* clone_;
    QToolButton* settings_;
    QToolButton* help_;
    QToolButton* menu_;
};

} // namespace echoforge::ui
