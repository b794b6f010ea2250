// ProcessLock: one holder at a time, released when its holder ends however it ends, and never
// blocked by what a dead process left in the file. The other process here is util-linux's
// flock(1), an independent user of the same kernel lock.

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/common/process_lock.h"

using namespace echoforge;

namespace {

void writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(content), content.size());
}

} // namespace

class TestProcessLock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneHolderAtATimeInThisProcess() {
        QTemporaryDir dir;
        const QString file = dir.filePath("engine.lock");
        auto first = ProcessLock::tryTake(file);
        QVERIFY(first);
        ProcessLock::Holder other;
        QVERIFY(!ProcessLock::tryTake(file, &other));
        // The refusal names the holder: this process, by its pid and name.
        QCOMPARE(other.pid, QCoreApplication::applicationPid());
        QCOMPARE(other.program, QCoreApplication::applicationName());
        first.reset();
        auto lockAgain = ProcessLock::tryTake(file);
        QVERIFY(lockAgain);
        QVERIFY(QFileInfo::exists(file));
        lockAgain.reset();
        QVERIFY(!QFileInfo::exists(file));   // the last holder leaves nothing behind
    }

    // What a killed holder leaves in the file never blocks the next one: the file's content is
    // only the name in a refusal. The rows are the moments that blocked QLockFile.
    void leftoversOfDeadHoldersAreTakenOver_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("withTakeOverFile");
        QTest::newRow("empty: killed before it wrote its pid") << QByteArray() << false;
        QTest::newRow("a dead process's pid") << QByteArray("2147483646\ntasks_worker_process\n") << false;
        QTest::newRow("QLockFile's, with an empty .rmlock") << QByteArray("2147483646\ntasks_worker_process\nhost\n") << true;
        QTest::newRow("garbage") << QByteArray("\xff\xfe not a lock \n\n\n") << false;
    }
    void leftoversOfDeadHoldersAreTakenOver() {
        QFETCH(QByteArray, content);
        QFETCH(bool, withTakeOverFile);
        QTemporaryDir dir;
        const QString file = dir.filePath("engine.lock");
        writeFile(file, content);
        if (withTakeOverFile)
            writeFile(file + ".rmlock", QByteArray());
        auto lock = ProcessLock::tryTake(file);
        QVERIFY(lock);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readLine().trimmed().toLongLong(), QCoreApplication::applicationPid());   // rewritten by its new holder
    }

    void anotherProcessHoldsItUntilItIsKilled() {
        const QString flock = QStandardPaths::findExecutable(QStringLiteral("flock"));
        if (flock.isEmpty())
            QSKIP("util-linux's flock(1) is not installed");
        QTemporaryDir dir;
        const QString file = dir.filePath("engine.lock");
        QProcess holder;
        // --no-fork: the process we kill is the one holding the lock, not a parent of it.
        holder.start(flock, {"--exclusive", "--no-fork", file, "sh", "-c", "echo held; exec sleep 60"});
        QVERIFY(holder.waitForStarted());
        QVERIFY(holder.waitForReadyRead(10000));
        QCOMPARE(holder.readAllStandardOutput().trimmed(), QByteArray("held"));

        ProcessLock::Holder other;
        other.pid = -1;
        QVERIFY(!ProcessLock::tryTake(file, &other));
        QCOMPARE(other.pid, 0);   // flock(1) writes nothing: the refusal cannot name it

        holder.kill();   // SIGKILL: nothing of the holder's runs after it
        QVERIFY(holder.waitForFinished(10000));
        QVERIFY(ProcessLock::tryTake(file));
    }

    void aFolderThatCannotHoldTheFileIsAnIoError() {
        QTemporaryDir dir;
        try {
            ProcessLock::tryTake(dir.filePath("missing/engine.lock"));
            QFAIL("a lock in a missing folder was taken");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Io);
            QVERIFY2(e.sentence().contains("missing/engine.lock"), qPrintable(e.sentence()));
        }
    }
};

QTEST_GUILESS_MAIN(TestProcessLock)
#include "tst_process_lock.moc"
