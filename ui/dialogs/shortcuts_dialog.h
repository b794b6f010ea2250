#pragma once

#include <QDialog>

namespace echoforge::ui {

// Every keyboard shortcut of the studio, in a table.
class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutsDialog(QWidget* parent = nullptr);

    struct Entry {
        QString keys;
        QString action;
    };
    static QList<Entry> entries();
};

} // namespace echoforge::ui
