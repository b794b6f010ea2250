#include "ui/gallery/clone_invite_model.h"

#include "core/voices/character_model.h"
#include "ui/gallery/character_card_delegate.h"

namespace echoforge::ui {

CloneInviteModel::CloneInviteModel(QAbstractItemModel* characters, QObject* parent)
    : QIdentityProxyModel(parent), characters_(characters) {
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(characters_, signal, this, &CloneInviteModel::updateInvitation);
    connect(characters_, &QAbstractItemModel::modelReset, this, &CloneInviteModel::updateInvitation);
    connect(characters_, &QAbstractItemModel::dataChanged, this, &CloneInviteModel::updateInvitation);
    // The invitation sits after the source's rows: once those change, check it is still wanted.
    connect(this, &QAbstractProxyModel::sourceModelChanged, this, &CloneInviteModel::updateInvitation);
}

void CloneInviteModel::updateInvitation() {
    bool ownVoice = false;
    for (int row = 0; row < characters_->rowCount() && !ownVoice; ++row)
        ownVoice = !characters_->index(row, 0).data(CharacterModel::BuiltInRole).toBool();
    const bool wanted = !ownVoice && sourceModel();
    if (wanted == inviting_)
        return;
    const int row = characterRows();
    if (wanted) {
        beginInsertRows({}, row, row);
        inviting_ = true;
        endInsertRows();
    } else {
        beginRemoveRows({}, row, row);
        inviting_ = false;
        endRemoveRows();
    }
}

int CloneInviteModel::characterRows() const { return sourceModel() ? sourceModel()->rowCount() : 0; }

bool CloneInviteModel::isInvite(const QModelIndex& index) const {
    // The invitation's index carries this model as its tag (an identity index carries its
    // source's pointer), which tells it apart without asking for its parent.
    return index.isValid() && index.model() == this && inviting_ && index.internalPointer() == this &&
           index.row() == characterRows();
}

int CloneInviteModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid())
        return 0;
    return characterRows() + (inviting_ ? 1 : 0);
}

bool CloneInviteModel::hasChildren(const QModelIndex& parent) const {
    if (!parent.isValid())
        return rowCount() > 0;
    return !isInvite(parent) && QIdentityProxyModel::hasChildren(parent);
}

QModelIndex CloneInviteModel::index(int row, int column, const QModelIndex& parent) const {
    if (!parent.isValid() && inviting_ && row == characterRows() && column == 0)
        return createIndex(row, column, const_cast<CloneInviteModel*>(this));   // no source index behind it
    return QIdentityProxyModel::index(row, column, parent);
}

QModelIndex CloneInviteModel::parent(const QModelIndex& child) const {
    return isInvite(child) ? QModelIndex() : QIdentityProxyModel::parent(child);
}

QModelIndex CloneInviteModel::sibling(int row, int column, const QModelIndex& idx) const {
    return idx.isValid() && !idx.parent().isValid() ? index(row, column) : QIdentityProxyModel::sibling(row, column, idx);
}

QModelIndex CloneInviteModel::mapToSource(const QModelIndex& proxyIndex) const {
    return isInvite(proxyIndex) ? QModelIndex() : QIdentityProxyModel::mapToSource(proxyIndex);
}

QVariant CloneInviteModel::data(const QModelIndex& index, int role) const {
    if (!isInvite(index)) {
        if (role == Qt::AccessibleDescriptionRole) return cardDescription(index);
        return role == InviteRole ? QVariant(false) : QIdentityProxyModel::data(index, role);
    }
    switch (role) {
    case InviteRole: return true;
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole: return tr("Clone a voice");
    case Qt::ToolTipRole: return tr("Make a character from a short clip of your own voice.");
    default: return {};
    }
}

Qt::ItemFlags CloneInviteModel::flags(const QModelIndex& index) const {
    return isInvite(index) ? Qt::ItemIsEnabled : QIdentityProxyModel::flags(index);
}

} // namespace echoforge::ui
