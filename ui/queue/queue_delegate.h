#pragma once
// One queue row: character and text, a progress bar with the time left, the state, and
// Cancel (while it waits or runs) or Retry (when it failed or was cancelled). A failed row shows
// its error sentence. Paints and forwards clicks only.

#include <QStyledItemDelegate>

namespace echoforge::ui {

class QueueDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

    // The action button of a row (Cancel or Retry) drawn in `rowRect`.
    static QRect actionRect(const QRect& rowRect);
    // "cancel", "retry" or "" for a job state name.
    static QString actionFor(const QString& state);

Q_SIGNALS:
    void cancelClicked(const QModelIndex& index);
    void retryClicked(const QModelIndex& index);
};

// "Queued", "Generating", "Saving", "Done", "Failed", "Cancelled".
QString stateLabel(const QString& state);

} // namespace echoforge::ui
