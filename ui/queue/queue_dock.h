#pragma once
// The queue as a side panel: every job with its progress, time left, Cancel and Retry (also
// from the keyboard: Delete cancels, R retries the selected job), and "Clear finished".

#include <QDockWidget>

class QListView;

namespace echoforge {
class QueueModel;
}

namespace echoforge::ui {

class QueueDelegate;

class QueueDock : public QDockWidget {
    Q_OBJECT
public:
    // `model` is borrowed.
    explicit QueueDock(QueueModel* model, QWidget* parent = nullptr);

    QListView* view() const { return view_; }

Q_SIGNALS:
    void cancelRequested(qint64 jobId);
    void retryRequested(qint64 jobId);

private:
    QueueModel* model_;
    QListView* view_;
};

} // namespace echoforge::ui
