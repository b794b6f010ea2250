#include "ui/history/history_dock.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/tasks/history_model.h"
#include "ui/theme/icons.h"
#include "ui/theme/theme.h"
#include "ui/widgets/current_follows_selection.h"
#include "ui/widgets/time_format.h"

namespace echoforge::ui {

HistoryDock::HistoryDock(HistoryModel* model, QWidget* parent) : QDockWidget(tr("History"), parent), model_(model) {
    setObjectName(QStringLiteral("historyDock"));
    setAccessibleName(tr("History"));
    auto* body = new QWidget(this);
    auto* column = new QVBoxLayout(body);
    column->setContentsMargins(8, 4, 8, 8);
    search_ = new QLineEdit(body);
    search_->setPlaceholderText(tr("Search the history…"));
    search_->setClearButtonEnabled(true);
    search_->setAccessibleName(tr("Search the history"));
    search_->addAction(themedIcon("search"), QLineEdit::LeadingPosition)->setText(tr("Search"));
    view_ = new QListView(body);
    view_->setModel(model_);
    currentFollowsSelection(view_);
    view_->setAccessibleName(tr("Takes"));
    view_->setAlternatingRowColors(true);
    view_->setTextElideMode(Qt::ElideRight);
    details_ = new QLabel(body);
    details_->setWordWrap(true);
    details_->setAccessibleDescription(tr("Take details"));   // changing text: read as the name
    markMuted(details_);

    auto button = [body](const QString& icon, const QString& text, const QString& name) {
        auto* b = new QPushButton(themedIcon(icon), text, body);
        b->setAccessibleName(name);
        return b;
    };
    replay_ = button("play", tr("Replay"), tr("Replay the take"));
    export_ = button("export", tr("Export…"), tr("Export the take"));
    reuse_ = button("reset", tr("Reuse"), tr("Reuse the text, character and parameters"));
    delete_ = button("delete", tr("Delete"), tr("Delete the take"));
    auto* actions = new QGridLayout;
    actions->addWidget(replay_, 0, 0);
    actions->addWidget(export_, 0, 1);
    actions->addWidget(reuse_, 1, 0);
    actions->addWidget(delete_, 1, 1);

    column->addWidget(search_);
    column->addWidget(view_, 1);
    column->addWidget(details_);
    column->addLayout(actions);
    setWidget(body);

    connect(search_, &QLineEdit::textChanged, model_, &HistoryModel::setFilterText);
    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this, &HistoryDock::showSelected);
    connect(model_, &QAbstractItemModel::modelReset, this, &HistoryDock::showSelected);
    connect(model_, &QAbstractItemModel::rowsRemoved, this, &HistoryDock::showSelected);
    connect(model_, &QAbstractItemModel::rowsInserted, this, &HistoryDock::showSelected);   // "Select a take.", not "kept here"
    connect(view_, &QListView::activated, this, [this] { Q_EMIT replayRequested(selected()); });
    connect(replay_, &QPushButton::clicked, this, [this] { Q_EMIT replayRequested(selected()); });
    connect(export_, &QPushButton::clicked, this, [this] { Q_EMIT exportRequested(selected()); });
    connect(reuse_, &QPushButton::clicked, this, [this] { Q_EMIT reuseRequested(selected()); });
    connect(delete_, &QPushButton::clicked, this, [this] {
        const QModelIndex i = view_->currentIndex();
        if (!i.isValid()) return;
        if (QMessageBox::question(this, tr("Delete the take?"), tr("Delete this take and its audio?"),
                                  QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Yes)
            model_->removeEntry(i.row());
    });
    showSelected();
}

HistoryEntry HistoryDock::selected() const {
    const QModelIndex i = view_->currentIndex();
    return i.isValid() ? model_->entryAt(i.row()) : HistoryEntry{};
}

void HistoryDock::showSelected() {
    const QModelIndex i = view_->currentIndex();
    for (QPushButton* b : {replay_, export_, reuse_, delete_}) b->setEnabled(i.isValid());
    if (!i.isValid()) {
        details_->setText(model_->rowCount() == 0 ? tr("Finished takes are kept here.") : tr("Select a take."));
        return;
    }
    const QDateTime when = i.data(HistoryModel::CreatedAtRole).toDateTime().toLocalTime();
    details_->setText(tr("%1 · %2 · seed %3 · %4")
                          .arg(i.data(HistoryModel::EngineRole).toString(),
                               formatDuration(i.data(HistoryModel::DurationRole).toDouble()),
                               i.data(HistoryModel::SeedRole).toString(),
                               QLocale().toString(when, QLocale::ShortFormat)));
}

} // namespace echoforge::ui
