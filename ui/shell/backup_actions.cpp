#include "ui/shell/backup_actions.h"

#include <cstdio>

#include <QDate>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QStandardPaths>
#include <QWidget>
#include <QtConcurrent>
#include <qcoro/qcorofuture.h>

#include "core/backup/backup.h"
#include "core/backup/backup_archive.h"
#include "core/common/error.h"

namespace echoforge::ui {
namespace {

const char* const kFilter = QT_TRANSLATE_NOOP("BackupActions", "EchoForge backups (*.tar.gz);;All files (*)");

// A worker's result: the sentence for the user, or the error's.
struct Outcome {
    QString text;
    bool ok = false;
};

// The coroutine is handed a QFuture started outside it and a plain function, never a capturing
// lambda: GCC 12 mishandles capturing lambda temporaries around coroutines (see
// main_window_panels.cpp); with one here the result was never delivered.
using Delivery = void (*)(BackupActions*, const Outcome&, const QString& file);

QCoro::Task<> deliver(QPointer<BackupActions> self, QFuture<Outcome> work, QString file, Delivery done) {
    const Outcome outcome = co_await work;
    if (self) done(self, outcome, file);
}

} // namespace

BackupActions::BackupActions(AppPaths paths, QWidget* window) : QObject(window), paths_(std::move(paths)), window_(window) {
    // restore() asks once the archive has proved sound, so a damaged file is refused before any question.
    connect(this, &BackupActions::restoreChecked, this, [this](const QString& file, const QString& description) {
        if (std::exchange(askOnCheck_, false)) confirmRestore(file, description);
    });
    connect(this, &BackupActions::failed, this, [this] { askOnCheck_ = false; });
}

void BackupActions::backUp() {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = QDir(folder.isEmpty() ? QDir::homePath() : folder)
                                  .filePath(QStringLiteral("echoforge-backup-%1.tar.gz").arg(QDate::currentDate().toString(Qt::ISODate)));
    QString file = QFileDialog::getSaveFileName(window_, tr("Back up your data"), suggested, tr(kFilter));
    if (file.isEmpty()) return;
    if (!file.endsWith(QLatin1String(".tar.gz"))) file += QStringLiteral(".tar.gz");
    backUpTo(file);
}

void BackupActions::backUpTo(const QString& file) {
    QFuture<Outcome> work = QtConcurrent::run([paths = paths_, file] {
        try {
            const BackupManifest m = createBackup(paths, file);
            return Outcome{tr("Backed up %1 to %2.").arg(describeBackup(m), QDir::toNativeSeparators(file)), true};
        } catch (const Error& e) {
            return Outcome{e.sentence(), false};
        }
    });
    deliver(this, std::move(work), file, [](BackupActions* self, const Outcome& o, const QString&) {
        if (o.ok) Q_EMIT self->backedUp(o.text);
        else Q_EMIT self->failed(o.text);
    });
}

void BackupActions::restore() {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString file = QFileDialog::getOpenFileName(window_, tr("Restore from a backup"), folder, tr(kFilter));
    if (file.isEmpty()) return;
    askOnCheck_ = true;
    checkForRestore(file);
}

void BackupActions::checkForRestore(const QString& file) {
    QFuture<Outcome> work = QtConcurrent::run([file] {
        try {
            return Outcome{describeBackup(readBackupArchive(file)), true};
        } catch (const Error& e) {
            return Outcome{e.sentence(), false};
        }
    });
    deliver(this, std::move(work), file, [](BackupActions* self, const Outcome& o, const QString& file) {
        if (o.ok) Q_EMIT self->restoreChecked(file, o.text);
        else Q_EMIT self->failed(o.text);
    });
}

void BackupActions::confirmRestore(const QString& file, const QString& description) {
    QMessageBox box(QMessageBox::Question, tr("Restore from a backup"),
                    tr("Replace your characters, voice anchors, history and settings with the backup's?"), QMessageBox::NoButton, window_);
    box.setInformativeText(tr("The backup holds %1.\n\nEchoForge closes, restores the backup and opens again. "
                              "Jobs still in the queue are cancelled.").arg(description));
    QPushButton* go = box.addButton(tr("Close and restore"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != go) return;
    pending_ = file;
    Q_EMIT restartRequested();
}

void runPendingRestore(const AppPaths& paths, const QString& file) {
    const bool visible = QGuiApplication::platformName() != QLatin1String("offscreen");
    try {
        const BackupManifest m = restoreBackup(paths, file);
        if (visible)
            QMessageBox::information(nullptr, QObject::tr("Backup restored"),
                                     QObject::tr("Restored %1 from %2.").arg(describeBackup(m), QDir::toNativeSeparators(file)));
    } catch (const Error& e) {
        if (visible)
            QMessageBox::critical(nullptr, QObject::tr("The backup was not restored"), e.sentence());
        std::fprintf(stderr, "echoforge: %s\n", e.what());
    }
}

} // namespace echoforge::ui
