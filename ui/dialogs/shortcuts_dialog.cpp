#include "ui/dialogs/shortcuts_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequence>
#include <QTableWidget>
#include <QVBoxLayout>

namespace echoforge::ui {

QList<ShortcutsDialog::Entry> ShortcutsDialog::entries() {
    auto native = [](const char* keys) { return QKeySequence(QString::fromLatin1(keys)).toString(QKeySequence::NativeText); };
    return {
        {native("Ctrl+F"), tr("Search the characters")},
        {native("Ctrl+Return"), tr("Generate")},
        {native("Space"), tr("Play or pause (from the gallery, the player bar or the waveform)")},
        {tr("Media Play/Pause key"), tr("Play or pause, anywhere")},
        {tr("Space / Return on a button"), tr("Press it (chips and check boxes toggle)")},
        {tr("Arrow keys on a chip"), tr("Move between the chips of its row (Tab leaves the row)")},
        {native("Esc"), tr("Cancel the running job")},
        {native("Ctrl+E"), tr("Export the clip")},
        {tr("Arrow keys"), tr("Move through the gallery")},
        {native("Return"), tr("Use the selected character")},
        {tr("Left / Right on the waveform"), tr("Step five seconds")},
        {native("Ctrl+1"), tr("Show or hide the queue")},
        {native("Ctrl+2"), tr("Show or hide the history")},
        {native("Ctrl+,"), tr("Settings")},
        {native("F1"), tr("This list")},
        {native("Ctrl+Q"), tr("Quit")},
    };
}

ShortcutsDialog::ShortcutsDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Keyboard shortcuts"));
    setAccessibleName(tr("Keyboard shortcuts"));
    auto* column = new QVBoxLayout(this);
    const auto list = entries();
    auto* table = new QTableWidget(int(list.size()), 2, this);
    table->setAccessibleName(tr("Shortcut list"));
    table->setHorizontalHeaderLabels({tr("Keys"), tr("Action")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setShowGrid(false);
    table->setAlternatingRowColors(true);
    for (int row = 0; row < list.size(); ++row) {
        table->setItem(row, 0, new QTableWidgetItem(list[row].keys));
        table->setItem(row, 1, new QTableWidgetItem(list[row].action));
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    column->addWidget(table);
    column->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(480, 460);
}

} // namespace echoforge::ui
