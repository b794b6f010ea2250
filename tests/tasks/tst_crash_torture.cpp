// Crash torture: the task worker (a real process with a TaskEngine, its SQLite history and its
// take writer) is killed with SIGKILL at 64 random moments, each run resuming what the last one
// left and adding jobs of its own. The kills land in start-up, SQLite commits, take writes and
// renames alike (the jobs are short, so every moment of a job's life is hit). After every kill:
//   - PRAGMA integrity_check says "ok";
//   - every job the worker reported finished is in the history, with its whole audio file;
//   - the temporaries a killed take write left are gone once the next run has started;
// and at the end every job whose submit() returned is in the history, once, none pending.

#include <random>

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include "core/tasks/history_store.h"
#include "tests/tasks/crash_test_support.h"

using namespace echoforge;

namespace {

constexpr int kKills = 64;
constexpr int kJobsPerRun = 3;
constexpr int kFrames = 3;
constexpr int kFrameSamples = 1920;   // the fake engine's frame
constexpr int kWavHeaderBytes = 44;
constexpr qint64 kTakeBytes = kWavHeaderBytes + 2 * qint64(kFrames) * kFrameSamples;
constexpr std::uint32_t kSeed = 20261203;   // fixed: a failure can be replayed

// What a killed atomic write leaves: ".<name>.XXXXXX.wav" beside the takes.
QStringList takeTemporaries(const QString& audioDir) {
    return QDir(audioDir).entryList({QStringLiteral(".*.wav"), QStringLiteral(".*.flac")}, QDir::Files | QDir::Hidden);
}

} // namespace

class TestCrashTorture : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedAtRandomMomentsLosesNothing() {
        QTemporaryDir dir;
        const QString historyDir = dir.filePath("history");
        const QString audioDir = dir.filePath("history/audio");
        std::mt19937 rng(kSeed);
        // Each kill waits for one of four moments, then a random 0-200 ms (a job takes ~20 ms):
        // start-up (opening the history, restoring the queue), the engine up, the first job
        // queued, the first job finished. Timed from the worker's own lines, so a slow or loaded
        // machine moves the kills with it and they still land in commits, writes and renames.
        std::uniform_int_distribution<int> killAfterMs(0, 200);
        std::uniform_int_distribution<int> moment(0, 3);
        const char* const momentLines[] = {nullptr, "pending", "submitted", "finished"};
        QSet<QString> submitted;   // texts whose submit() returned: they must never be lost

        QStringList leftTemporaries;   // by the previous kill
        int killsDuringWork = 0, temporariesSeen = 0;
        for (int run = 0; run < kKills; ++run) {
            QProcess worker;
            worker.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            worker.start(TASKS_WORKER_PROCESS, {"--history", historyDir, "--resume", "--submit", QString::number(kJobsPerRun),
                                                "--prefix", QStringLiteral("run %1 job").arg(run), "--frames",
                                                QString::number(kFrames), "--frame-ms", "5"});
            QVERIFY2(worker.waitForStarted(), qPrintable(worker.errorString()));
            test::WorkerOutput out(worker);
            const int waitFor = moment(rng);
            if (waitFor == 0) {
                QTest::qWait(killAfterMs(rng) / 4);
            } else {
                // "pending" is printed once the engine has started, i.e. after its clean-up.
                QCOMPARE(out.waitFor("pending", 1).size(), 1);
                for (const QString& name : leftTemporaries)
                    QVERIFY2(!QFileInfo::exists(QDir(audioDir).filePath(name)), qPrintable(name + " survived a restart"));
                leftTemporaries.clear();
                QVERIFY(!out.waitFor(momentLines[waitFor], 1, 60000).isEmpty());
                // After a finished job the rest are quick: kill sooner, while they still run.
                QTest::qWait(waitFor == 3 ? killAfterMs(rng) / 8 : killAfterMs(rng));
            }
            if (worker.state() == QProcess::Running) {
                worker.kill();   // SIGKILL: no destructor, no flush
                ++killsDuringWork;
            }
            // A worker that ended by itself (all its jobs done) is already finished, and then
            // waitForFinished() answers false at once.
            QVERIFY(worker.state() == QProcess::NotRunning || worker.waitForFinished(30000));
            const QSet<JobId> reportedFinished = test::idsOf(out.linesStartingWith("finished"));
            for (const QString& line : out.linesStartingWith("submitted "))
                submitted.insert(line.mid(int(qstrlen("submitted "))));

            // A kill during start-up may come before the database exists; then there is nothing to check.
            const QString database = QDir(historyDir).filePath("history.sqlite");
            if (QFileInfo::exists(database))
                QCOMPARE(test::integrityOf(database), QStringLiteral("ok"));
            HistoryStore store(historyDir);
            QSet<JobId> kept;
            for (const HistoryEntry& e : store.entries()) {
                kept.insert(e.id);
                QCOMPARE(QFileInfo(e.audioPath).size(), kTakeBytes);   // whole, never half a take
            }
            for (const JobId id : reportedFinished)
                QVERIFY2(kept.contains(id), qPrintable(QStringLiteral("run %1: finished job %2 lost").arg(run).arg(id)));
            for (const PendingJob& p : store.pending())
                QVERIFY2(!kept.contains(p.id), qPrintable(QStringLiteral("job %1 both finished and pending").arg(p.id)));
            const QStringList temporaries = takeTemporaries(audioDir);
            temporariesSeen += int(temporaries.size());
            leftTemporaries += temporaries;
        }
        QVERIFY2(killsDuringWork >= 50, qPrintable(QString::number(killsDuringWork)));
        qInfo("%d SIGKILLs while working; %d take temporaries left by them, each removed by the next start",
              killsDuringWork, temporariesSeen);

        // The queue resumes: one last run finishes everything the kills left.
        QProcess last;
        last.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        last.start(TASKS_WORKER_PROCESS, {"--history", historyDir, "--resume", "--frames", QString::number(kFrames)});
        QVERIFY(last.waitForStarted());
        QVERIFY(last.waitForFinished(60000));
        QCOMPARE(last.exitStatus(), QProcess::NormalExit);
        QCOMPARE(last.exitCode(), 0);
        QVERIFY(takeTemporaries(audioDir).isEmpty());
        QCOMPARE(test::integrityOf(QDir(historyDir).filePath("history.sqlite")), QStringLiteral("ok"));

        HistoryStore store(historyDir);
        QVERIFY(store.pending().isEmpty());
        QStringList texts;
        for (const HistoryEntry& e : store.entries()) {
            texts << e.request.text;
            QCOMPARE(QFileInfo(e.audioPath).size(), kTakeBytes);
        }
        // Every job whose submit() returned (and was announced) is there; a job killed between
        // submit() and its announcement may be there too.
        QVERIFY2(submitted.size() >= kKills / 2, qPrintable(QString::number(submitted.size())));
        const QSet<QString> distinct(texts.begin(), texts.end());
        // No job is done twice: resubmitPending() replaces a job's pending row in one
        // transaction, so a kill there leaves either the old row or the new one.
        QCOMPARE(distinct.size(), texts.size());
        for (const QString& text : submitted)
            QVERIFY2(distinct.contains(text), qPrintable(text + " was submitted and lost"));
        for (const QString& text : texts)
            QVERIFY2(QRegularExpression("^run \\d+ job [0-2]$").match(text).hasMatch(), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestCrashTorture)
#include "tst_crash_torture.moc"
