// The studio's backup and restore: the header menu offers both; a backup is written off the GUI
// thread; a damaged archive is refused before any question; a sound one is described, and once the
// studio has closed, main()'s runPendingRestore puts its data back.

#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include "core/backup/backup_archive.h"
#include "core/common/paths.h"
#include "ui/shell/backup_actions.h"
#include "tests/backup/archive_builder.h"
#include "ui/shell/header_bar.h"

using namespace echoforge;
using namespace echoforge::ui;
using echoforge::test::writeFile;

namespace {

AppPaths pathsIn(const QTemporaryDir& dir) {
    AppPaths p;
    p.configDir = p.dataDir = dir.filePath("data");
    p.settingsFile = dir.filePath("data/settings.ini");
    p.voicesDir = dir.filePath("data/voices");
    p.historyDir = dir.filePath("data/history");
    p.cacheDir = dir.filePath("data/cache");
    p.logsDir = dir.filePath("data/logs");
    p.modelsDir = dir.filePath("data/models");
    return p;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestBackupActions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void headerMenuOffersBackupAndRestore() {
        HeaderBar header;
        QToolButton* button = header.menuButton();
        QVERIFY(button->menu());
        QCOMPARE(button->accessibleName(), QString("More actions"));
        QStringList texts;
        for (QAction* a : button->menu()->actions())
            if (!a->isSeparator()) texts << a->text();
        QVERIFY2(texts.contains("Back up your data…") && texts.contains("Restore from a backup…"), qPrintable(texts.join(", ")));
        QSignalSpy backup(&header, &HeaderBar::backupRequested), restore(&header, &HeaderBar::restoreRequested);
        for (QAction* a : button->menu()->actions()) {
            if (a->text() == "Back up your data…") a->trigger();
            if (a->text() == "Restore from a backup…") a->trigger();
        }
        QCOMPARE(backup.count(), 1);
        QCOMPARE(restore.count(), 1);
    }

    void backupThenRestoreAfterTheStudioCloses() {
        QTemporaryDir dir;
        const AppPaths paths = pathsIn(dir);
        writeFile(paths.voicesDir + "/mine/character.json", "mine");
        BackupActions actions(paths, nullptr);
        QSignalSpy done(&actions, &BackupActions::backedUp), failed(&actions, &BackupActions::failed);
        const QString archive = dir.filePath("backup.tar.gz");
        actions.backUpTo(archive);
        QVERIFY(done.count() == 1 || done.wait(20000));   // a quick worker may finish before the wait
        QCOMPARE(failed.count(), 0);
        QVERIFY2(done.first().first().toString().contains("1 file"), qPrintable(done.first().first().toString()));
        QCOMPARE(readBackupArchive(archive).files.size(), 1);

        QSignalSpy checked(&actions, &BackupActions::restoreChecked);
        actions.checkForRestore(archive);
        QVERIFY(checked.count() == 1 || checked.wait(20000));
        QCOMPARE(checked.first().at(0).toString(), archive);
        QVERIFY(actions.pendingRestore().isEmpty());   // nothing pending until the user agrees

        writeFile(paths.voicesDir + "/mine/character.json", "changed");
        runPendingRestore(paths, archive);
        QCOMPARE(readFile(paths.voicesDir + "/mine/character.json"), QByteArray("mine"));
    }

    void damagedBackupIsRefusedBeforeAnyQuestion() {
        QTemporaryDir dir;
        const AppPaths paths = pathsIn(dir);
        const QString archive = dir.filePath("damaged.tar.gz");
        writeFile(archive, QByteArray(4096, 'x'));
        BackupActions actions(paths, nullptr);
        QSignalSpy failed(&actions, &BackupActions::failed), checked(&actions, &BackupActions::restoreChecked);
        actions.checkForRestore(archive);
        QVERIFY(failed.count() == 1 || failed.wait(20000));
        QVERIFY2(failed.first().first().toString().contains("not a usable EchoForge backup"), qPrintable(failed.first().first().toString()));
        QCOMPARE(checked.count(), 0);
        QVERIFY(actions.pendingRestore().isEmpty());
    }
};

QTEST_MAIN(TestBackupActions)
#include "tst_backup_actions.moc"
