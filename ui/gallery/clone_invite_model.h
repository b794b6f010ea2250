#pragma once
// The gallery's rows plus, while the user has no voice of their own, one more at the end: a card
// inviting them to clone one (docs: the first-run state of the design). Everything else passes
// through unchanged, so the gallery's selection and roles work as before.

#include <QIdentityProxyModel>

namespace echoforge::ui {

class CloneInviteModel : public QIdentityProxyModel {
    Q_OBJECT
public:
    static constexpr int InviteRole = Qt::UserRole + 200;   // bool: this row is the invitation

    // `characters`: every character, unfiltered, whose BuiltInRole says which are the user's.
    explicit CloneInviteModel(QAbstractItemModel* characters, QObject* parent = nullptr);

    bool inviting() const { return inviting_; }
    bool isInvite(const QModelIndex& index) const;
    // Rows that are characters (the invitation not counted).
    int characterRows() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex& idx) const override;
    QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    void updateInvitation();

    QAbstractItemModel* characters_;
    bool inviting_ = false;
};

} // namespace echoforge::ui
