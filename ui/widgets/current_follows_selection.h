#pragma once
// A click makes an item both selected and current; a screen reader's "select" (AT-SPI
// Selection, QAccessibleTableInterface::selectRow) only selects it. Views whose panels follow
// the current item call this, so a selection made either way moves the current item too.

#include <QAbstractItemView>
#include <QItemSelectionModel>

namespace echoforge::ui {

// Call after every setModel (a new model brings a new selection model).
inline void currentFollowsSelection(QAbstractItemView* view) {
    QItemSelectionModel* selection = view->selectionModel();
    QObject::connect(selection, &QItemSelectionModel::selectionChanged, view, [selection](const QItemSelection& selected) {
        const QModelIndexList picked = selected.indexes();
        if (picked.size() == 1 && picked.first() != selection->currentIndex())
            selection->setCurrentIndex(picked.first(), QItemSelectionModel::NoUpdate);
    });
}

} // namespace echoforge::ui
