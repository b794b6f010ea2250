#include "ui/queue/queue_dock.h"

#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include "core/tasks/queue_model.h"
#include "ui/queue/queue_delegate.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {

QueueDock::QueueDock(QueueModel* model, QWidget* parent) : QDockWidget(tr("Queue"), parent), model_(model) {
    setObjectName(QStringLiteral("queueDock"));
    setAccessibleName(tr("Queue"));
    auto* body = new QWidget(this);
    auto* column = new QVBoxLayout(body);
    column->setContentsMargins(8, 4, 8, 8);
    view_ = new QListView(body);
    view_->setAccessibleName(tr("Jobs"));
    view_->setModel(model_);
    auto* delegate = new QueueDelegate(view_);
    view_->setItemDelegate(delegate);
    view_->setMouseTracking(true);
    view_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    view_->setUniformItemSizes(false);
    auto* empty = new QLabel(tr("No jobs yet. Generate something and it shows here."), body);
    empty->setWordWrap(true);
    markMuted(empty);
    auto* clear = new QPushButton(tr("Clear finished"), body);
    clear->setAccessibleName(tr("Clear finished jobs"));
    column->addWidget(empty);
    column->addWidget(view_, 1);
    column->addWidget(clear, 0, Qt::AlignRight);
    setWidget(body);

    auto refreshEmpty = [this, empty] { empty->setVisible(model_->rowCount() == 0); };
    connect(model_, &QAbstractItemModel::rowsInserted, this, refreshEmpty);
    connect(model_, &QAbstractItemModel::rowsRemoved, this, refreshEmpty);
    connect(model_, &QAbstractItemModel::modelReset, this, refreshEmpty);
    refreshEmpty();
    connect(clear, &QPushButton::clicked, this, [this] { model_->clearFinished(); });
    connect(delegate, &QueueDelegate::cancelClicked, this,
            [this](const QModelIndex& i) { Q_EMIT cancelRequested(model_->jobAt(i.row())); });
    connect(delegate, &QueueDelegate::retryClicked, this,
            [this](const QModelIndex& i) { Q_EMIT retryRequested(model_->jobAt(i.row())); });
    auto* cancelKey = new QShortcut(QKeySequence::Delete, view_, nullptr, nullptr, Qt::WidgetShortcut);
    connect(cancelKey, &QShortcut::activated, this, [this] {
        const QModelIndex i = view_->currentIndex();
        if (i.isValid() && QueueDelegate::actionFor(i.data(QueueModel::StateRole).toString()) == QLatin1String("cancel"))
            Q_EMIT cancelRequested(model_->jobAt(i.row()));
    });
    auto* retryKey = new QShortcut(QKeySequence(Qt::Key_R), view_, nullptr, nullptr, Qt::WidgetShortcut);
    connect(retryKey, &QShortcut::activated, this, [this] {
        const QModelIndex i = view_->currentIndex();
        if (i.isValid() && QueueDelegate::actionFor(i.data(QueueModel::StateRole).toString()) == QLatin1String("retry"))
            Q_EMIT retryRequested(model_->jobAt(i.row()));
    });
}

} // namespace echoforge::ui
