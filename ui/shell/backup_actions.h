#pragma once
// The studio's "Back up your data…" and "Restore from a backup…" (core/backup does the work, on a
// worker thread). A restore cannot replace the data folder while this studio holds it, so a
// checked backup is remembered as pending and the studio closes; main() restores it once the task
// engine has let go of the folder, then starts the studio again.

#include <QObject>
#include <QString>

#include "core/common/paths.h"

class QWidget;

namespace echoforge::ui {

class BackupActions : public QObject {
    Q_OBJECT
public:
    // `window` parents the dialogs.
    BackupActions(AppPaths paths, QWidget* window);

    // With a file dialog, then a confirmation for the restore.
    void backUp();
    void restore();

    // Without dialogs (tests, scripts): write the backup / check one and, if it is sound, ask
    // (restoreChecked) before marking it pending.
    void backUpTo(const QString& file);
    void checkForRestore(const QString& file);

    // The backup main() restores after the window closed; empty: none.
    QString pendingRestore() const { return pending_; }
    void setPendingRestore(const QString& file) { pending_ = file; }

Q_SIGNALS:
    void backedUp(const QString& message);                              // for the status bar
    void restoreChecked(const QString& file, const QString& description);
    void failed(const QString& sentence);
    void restartRequested();                                            // close the studio: the restore follows

private:
    void confirmRestore(const QString& file, const QString& description);

    AppPaths paths_;
    QWidget* window_;
    QString pending_;
    bool askOnCheck_ = false;   // restore() waits for the check, then asks
};

// Run by main() once the studio has closed: restores `file` and says how it went in a message box
// (the old data stays when it fails).
void runPendingRestore(const AppPaths& paths, const QString& file);

} // namespace echoforge::ui
