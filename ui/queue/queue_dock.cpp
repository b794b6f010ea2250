#include "ui/queue/queue_dock.h"

#include <QIdentityProxyModel>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include "core/tasks/queue_model.h"
#include "ui/queue/queue_delegate.h"
#include "ui/theme/theme.h"
#include "ui/widgets/time_format.h"

namespace echoforge::ui {
namespace {

// A row as a screen reader hears it: the name is the row's text, the description what the
// delegate paints beside it (state, progress, time, engine, error), which is not text to read.
class QueueRowDescriptions : public QIdentityProxyModel {
public:
    using QIdentityProxyModel::QIdentityProxyModel;

    QVariant data(const QModelIndex& index, int role) const override {
        if (role != Qt::AccessibleDescriptionRole)
            return QIdentityProxyModel::data(index, role);
        const QString state = index.data(QueueModel::StateRole).toString();
        QStringList parts{stateLabel(state)};
        if (state == QLatin1String("running")) {
            parts << QueueDock::tr("%1%").arg(qRound(index.data(QueueModel::ProgressRole).toDouble() * 100));
            const double eta = index.data(QueueModel::EtaRole).toDouble();
            if (eta >= 0) parts << QueueDock::tr("%1 left").arg(formatDuration(eta));
        }
        if (state == QLatin1String("finished"))
            parts << formatDuration(index.data(QueueModel::AudioSecondsRole).toDouble());
        const QString engine = index.data(QueueModel::EngineRole).toString();
        if (!engine.isEmpty()) parts << QueueDock::tr("engine %1").arg(engine);
        const QString error = index.data(QueueModel::ErrorRole).toString();
        if (!error.isEmpty()) parts << error;
        return parts.join(QStringLiteral(" · "));
    }
};

} // namespace

QueueDock::QueueDock(QueueModel* model, QWidget* parent) : QDockWidget(tr("Queue"), parent), model_(model) {
    setObjectName(QStringLiteral("queueDock"));
    setAccessibleName(tr("Queue"));
    auto* body = new QWidget(this);
    auto* column = new QVBoxLayout(body);
    column->setContentsMargins(8, 4, 8, 8);
    view_ = new QListView(body);
    view_->setAccessibleName(tr("Jobs"));
    auto* described = new QueueRowDescriptions(this);
    described->setSourceModel(model_);
    view_->setModel(described);
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
