// A real process killed with SIGKILL in the middle of a job, then started again: the finished
// jobs are in the history with their audio, and the queued ones are offered again and finish.

#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/tasks/history_store.h"
#include "tests/tasks/crash_test_support.h"

using namespace echoforge;

namespace {

constexpr int kJobs = 6;
constexpr int kSlowFrames = 20;
constexpr int kFrameSamples = 1920;   // the fake engine's frame
constexpr int kWavHeaderBytes = 44;

} // namespace

class TestTaskRecovery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedMidJobThenRestarted() {
        QTemporaryDir dir;
        const QString historyDir = dir.filePath("history");

        QProcess first;
        first.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        first.start(TASKS_WORKER_PROCESS, {"--history", historyDir, "--submit", QString::number(kJobs),
                                           "--frames", QString::number(kSlowFrames), "--frame-ms", "20"});
        QVERIFY2(first.waitForStarted(), qPrintable(first.errorString()));
        test::WorkerOutput out(first);
        const QStringList finishedBeforeKill = out.waitFor("finished", 2);
        QCOMPARE(finishedBeforeKill.size(), 2);
        QSignalSpy ended(&first, &QProcess::finished);
        first.kill();   // SIGKILL: no destructor, no flush, no goodbye
        QVERIFY(ended.wait(30000));
        QCOMPARE(first.exitStatus(), QProcess::CrashExit);

        HistoryStore store(historyDir);
        const QList<HistoryEntry> kept = store.entries();
        const QList<PendingJob> pending = store.pending();
        QVERIFY(kept.size() >= 2);
        QVERIFY2(kept.size() < kJobs, "the kill must land before the last job");
        QCOMPARE(kept.size() + pending.size(), kJobs);
        QSet<JobId> keptIds;
        for (const HistoryEntry& e : kept) {
            keptIds.insert(e.id);
            QCOMPARE(QFileInfo(e.audioPath).size(), kWavHeaderBytes + 2 * qint64(kSlowFrames) * kFrameSamples);
        }
        QVERIFY(keptIds.contains(test::idsOf(finishedBeforeKill)));
        for (const PendingJob& p : pending)
            QVERIFY(!keptIds.contains(p.id));

        QProcess second;
        second.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        second.start(TASKS_WORKER_PROCESS, {"--history", historyDir, "--resume", "--frames", "2"});
        QVERIFY2(second.waitForStarted(), qPrintable(second.errorString()));
        test::WorkerOutput again(second);
        QCOMPARE(again.waitFor("pending", 1), QStringList{QString("pending %1").arg(pending.size())});
        QCOMPARE(again.waitFor("finished", int(pending.size())).size(), pending.size());
        QSignalSpy secondEnded(&second, &QProcess::finished);
        QVERIFY(second.state() == QProcess::NotRunning || secondEnded.wait(30000));
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);

        QCOMPARE(store.count(), kJobs);
        QVERIFY(store.pending().isEmpty());
        QSet<QString> texts;
        for (const HistoryEntry& e : store.entries()) {
            texts.insert(e.request.text);
            QVERIFY(QFileInfo::exists(e.audioPath));
        }
        QCOMPARE(texts.size(), kJobs);
        for (int i = 0; i < kJobs; ++i)
            QVERIFY(texts.contains(QString("job %1").arg(i)));
    }
};

QTEST_GUILESS_MAIN(TestTaskRecovery)
#include "tst_task_recovery.moc"
