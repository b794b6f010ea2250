#include "ui/gallery/gallery_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/gallery/character_card_delegate.h"
#include "ui/gallery/clone_invite_model.h"
#include "ui/widgets/current_follows_selection.h"

namespace echoforge::ui {

GalleryView::GalleryView(QWidget* parent) : QListView(parent), delegate_(new CharacterCardDelegate(this)) {
    setAccessibleName(tr("Character gallery"));
    setViewMode(QListView::IconMode);
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setWrapping(true);
    setUniformItemSizes(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setGridSize(CharacterCardDelegate::kCardSize +
                QSize(CharacterCardDelegate::kGap, CharacterCardDelegate::kGap));
    setSpacing(0);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setItemDelegate(delegate_);
    viewport()->setAutoFillBackground(false);
    connect(delegate_, &CharacterCardDelegate::sampleClicked, this, &GalleryView::sampleRequested);

    empty_ = new QWidget(this);
    auto* layout = new QVBoxLayout(empty_);
    emptyLabel_ = new QLabel(empty_);
    emptyLabel_->setAlignment(Qt::AlignCenter);
    emptyLabel_->setWordWrap(true);
    auto* clear = new QPushButton(tr("Clear filters"), empty_);
    clear->setAccessibleName(tr("Clear filters"));
    layout->addStretch();
    layout->addWidget(emptyLabel_);
    layout->addWidget(clear, 0, Qt::AlignHCenter);
    layout->addStretch();
    empty_->hide();
    connect(clear, &QPushButton::clicked, this, &GalleryView::clearFiltersRequested);

    spinner_.setInterval(80);
    connect(&spinner_, &QTimer::timeout, this, [this] {
        delegate_->advanceSpinner();
        viewport()->update();
    });
}

void GalleryView::setModel(QAbstractItemModel* m) {
    QListView::setModel(m);
    currentFollowsSelection(this);
    connect(m, &QAbstractItemModel::modelReset, this, &GalleryView::updateEmptyState);
    connect(m, &QAbstractItemModel::layoutChanged, this, &GalleryView::updateEmptyState);
    connect(m, &QAbstractItemModel::rowsInserted, this, &GalleryView::updateEmptyState);
    connect(m, &QAbstractItemModel::rowsRemoved, this, &GalleryView::updateEmptyState);
    updateEmptyState();
}

void GalleryView::setEmptyMessage(const QString& message) {
    emptyLabel_->setText(message);
}

bool GalleryView::showsEmptyState() const { return !empty_->isHidden(); }

void GalleryView::setSampleBusy(const QString& id, bool busy) {
    delegate_->setSampleBusy(id, busy);
    delegate_->anyBusy() ? spinner_.start() : spinner_.stop();
    viewport()->update();
}

void GalleryView::setSamplePlaying(const QString& id) {
    delegate_->setSamplePlaying(id);
    viewport()->update();
}

bool GalleryView::isInvitation(const QModelIndex& index) {
    return index.data(CloneInviteModel::InviteRole).toBool();
}

void GalleryView::updateEmptyState() {
    // The invitation alone is no match: the empty state (and its "Clear filters") covers it.
    const int rows = model() ? model()->rowCount() : 0;
    const bool empty = rows == 0 || (rows == 1 && isInvitation(model()->index(0, 0)));
    empty_->setVisible(empty);
    if (empty) empty_->setGeometry(viewport()->geometry());
}

void GalleryView::resizeEvent(QResizeEvent* e) {
    QListView::resizeEvent(e);
    empty_->setGeometry(viewport()->geometry());
}

void GalleryView::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton && isInvitation(indexAt(e->position().toPoint()))) {
        Q_EMIT cloneRequested();
        e->accept();
        return;
    }
    QListView::mousePressEvent(e);
}

QModelIndex GalleryView::moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers) {
    const QModelIndex next = QListView::moveCursor(action, modifiers);
    return isInvitation(next) ? currentIndex() : next;
}

void GalleryView::keyPressEvent(QKeyEvent* e) {
    // Enter uses the selected character (QListView would start editing or do nothing).
    if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) && currentIndex().isValid()) {
        Q_EMIT activated(currentIndex());
        return;
    }
    // Space would only select the current card again (selection follows it): leave it to the
    // window, where it plays or pauses.
    if (e->key() == Qt::Key_Space && e->modifiers() == Qt::NoModifier) {
        e->ignore();
        return;
    }
    QListView::keyPressEvent(e);
}

} // namespace echoforge::ui
