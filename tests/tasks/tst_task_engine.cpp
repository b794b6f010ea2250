// The task engine's queue: results and files, signal order, priorities, the coroutine API,
// limits, queued jobs side by side on an engine that takes them, and 200 jobs submitted from 4
// threads at once.

#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <qcoro/qcorotask.h>

#include "core/audio/audio_io.h"
#include "core/audio/loudness.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/tasks/task_engine.h"
#include "tests/tasks/engine_fixture.h"
#include "tests/engine/error_sentence.h"

using namespace echoforge;
using namespace echoforge::test;

namespace {

constexpr int kWavHeaderBytes = 44;

using Fixture = EngineFixture;

// A fake CSM of `frames` frames of 10 ms that takes `atOnce` requests at the same time, each
// waiting (up to 10 s) until `companions` are under way before it makes frames.
void csmTakingAtOnce(Fixture& f, int atOnce, int companions, int frames) {
    f.withCsm = true;
    f.csm.concurrentRequests = atOnce;
    f.csm.waitForCompanions = companions;
    f.csm.frames = frames;
    f.csm.frameDelayMs = 10;
}

bool servesOneJob(TaskEngine& engine) {
    const JobResult r = QCoro::waitFor(engine.generate(requestFor("still here")));
    return r.id > 0 && r.audio && !r.audio->empty();
}

} // namespace

class TestTaskEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void finishedJobWritesWavAndHistory() {
        Fixture f;
        f.sine.frames = 4;
        auto engine = f.make();
        QSignalSpy queued(engine.get(), &TaskEngine::queued);
        QSignalSpy started(engine.get(), &TaskEngine::started);
        QSignalSpy progress(engine.get(), &TaskEngine::progress);
        QSignalSpy chunks(engine.get(), &TaskEngine::audioChunk);
        QSignalSpy finished(engine.get(), &TaskEngine::finished);

        const QString output = f.dir.filePath("out/take.wav");
        const JobId id = engine->submit(requestFor("Hello there."), {.outputPath = output});
        QCOMPARE(queued.count(), 0);   // signals come from the event loop, never inside submit
        QVERIFY(finished.wait(10000));

        QCOMPARE(queued.count(), 1);
        QCOMPARE(queued.at(0).at(0).value<JobId>(), id);
        QCOMPARE(queued.at(0).at(1).value<JobSummary>().characterName, QString("Narrator"));
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.at(0).at(1).toString(), QString("eSpeak NG"));
        QCOMPARE(progress.count(), 4);
        const auto last = progress.last().at(1).value<JobProgress>();
        QCOMPARE(last.unitsDone, 4);
        QCOMPARE(last.etaSeconds, 0.0);
        QCOMPARE(chunks.count(), 4);

        const auto result = finished.at(0).at(1).value<JobResult>();
        QCOMPARE(result.id, id);
        QCOMPARE(result.audio->size(), size_t(4 * f.sine.frameSamples));
        qsizetype streamed = 0;
        for (const auto& args : chunks)
            streamed += args.at(1).value<QVector<float>>().size();
        QCOMPARE(streamed, qsizetype(result.audio->size()));

        QCOMPARE(result.audioPath, output);
        for (const QString& path : {result.audioPath, result.historyAudioPath}) {
            QFile wav(path);
            QVERIFY2(wav.open(QIODevice::ReadOnly), qPrintable(path));
            QCOMPARE(wav.size(), kWavHeaderBytes + 2 * qint64(result.audio->size()));
            QCOMPARE(wav.read(4), QByteArray("RIFF"));
        }

        const auto entry = engine->history()->entry(id);
        QVERIFY(entry);
        QCOMPARE(entry->request.text, QString("Hello there."));
        QCOMPARE(entry->request.character.id, QString("narrator"));
        QCOMPARE(entry->engineId, QString("espeak"));
        QCOMPARE(entry->seed, std::uint64_t(7));
        QCOMPARE(entry->audioPath, result.historyAudioPath);
        QCOMPARE(entry->durationSeconds, 4 * 0.08);
        QVERIFY(engine->history()->pending().isEmpty());
        QCOMPARE(engine->activeJobCount(), 0);
    }

    void takesArePostProcessedBeforeWriting() {
        Fixture f;
        f.sine.frames = 10;   // 0.8 s: long enough for an EBU R128 measurement
        Settings settings;
        settings.loudnessTargetLufs = -20.0;
        AppPaths paths;
        paths.historyDir = f.config.historyDir;
        f.config = TaskEngineConfig::fromSettings(settings, paths);
        QCOMPARE(f.config.historyDir, paths.historyDir);
        QCOMPARE(f.config.queueLimit, settings.queueLimit);
        auto engine = f.make();
        const JobResult r = QCoro::waitFor(engine->generate(requestFor("loud enough")));
        const double lufs = measureLoudness(readAudio(r.audioPath)).integratedLufs;
        QVERIFY2(std::abs(lufs - settings.loudnessTargetLufs) < 0.5, qPrintable(QString::number(lufs)));
        QCOMPARE(r.audio->size(), size_t(10 * f.sine.frameSamples));

        f.config.postProcess = [](std::vector<float>&, int) { throw Error("The loudness meter gave up."); };
        engine.reset();   // one engine per history folder
        auto failing = f.make();
        QSignalSpy failed(failing.get(), &TaskEngine::failed);
        failing->submit(requestFor("too quiet"));
        QVERIFY(failed.wait(20000));
        QCOMPARE(failed.at(0).at(1).toString(), QString("The loudness meter gave up."));
    }

    void prioritiesThenFifo() {
        Fixture f;
        auto engine = f.make();
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        // All are queued before the event loop runs, so the order below is the queue's alone.
        engine->submit(requestFor("batch 1"), {.priority = JobPriority::Batch});
        engine->submit(requestFor("normal 1"), {.priority = JobPriority::Normal});
        engine->submit(requestFor("batch 2"), {.priority = JobPriority::Batch});
        engine->submit(requestFor("interactive 1"), {.priority = JobPriority::Interactive});
        engine->submit(requestFor("normal 2"), {.priority = JobPriority::Normal});
        engine->submit(requestFor("interactive 2"), {.priority = JobPriority::Interactive});
        QVERIFY(waitForCount(finished, 6));
        QCOMPARE(f.log->spokenSoFar(), QStringList({"interactive 1", "interactive 2", "normal 1", "normal 2",
                                                    "batch 1", "batch 2"}));
    }

    void coroutineReturnsResultOrThrows() {
        Fixture f;
        auto engine = f.make();
        const JobResult ok = QCoro::waitFor(engine->generate(requestFor("Coroutines are calm.")));
        QCOMPARE(ok.audio->size(), size_t(f.sine.frames * f.sine.frameSamples));
        QVERIFY(QFile::exists(ok.audioPath));

        const QString failure = QCoro::waitFor(errorOf(engine->generate(requestFor("fail: this one"))));
        QVERIFY2(failure.contains("refuses"), qPrintable(failure));
        const QString refusal = QCoro::waitFor(errorOf(engine->generate(requestFor("   "))));
        QVERIFY2(refusal.contains("no text"), qPrintable(refusal));
        QCOMPARE(QCoro::waitFor(errorOf(engine->generate(requestFor("fine again")))), QString());
    }

    void limitsRefuseWithoutSideEffects_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("maxSeconds");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text too long") << QString(11, 'a') << 5.0 << "more than the limit of 10";
        QTest::newRow("too much audio") << "short" << 61.0 << "limit of 60 seconds";
        QTest::newRow("empty text") << "" << 5.0 << "no text";
    }

    void limitsRefuseWithoutSideEffects() {
        QFETCH(QString, text);
        QFETCH(double, maxSeconds);
        QFETCH(QString, expected);
        Fixture f;
        f.config.textLimit = 10;
        f.config.audioLimitSeconds = 60;
        auto engine = f.make();
        SpeechRequest r = requestFor(text);
        r.params.maxSeconds = maxSeconds;
        try {
            engine->submit(r);
            QFAIL("the request must be refused");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains(expected), qPrintable(e.sentence()));
        }
        QCOMPARE(engine->activeJobCount(), 0);
        QVERIFY(engine->history()->pending().isEmpty());
        const JobResult next = QCoro::waitFor(engine->generate(requestFor("fine")));
        QVERIFY(next.audio);
    }

    void fullQueueRefusesUntilJobsFinish() {
        Fixture f;
        f.config.queueLimit = 3;
        auto engine = f.make();
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        for (int i = 0; i < 3; ++i)
            engine->submit(requestFor(QString("job %1").arg(i)));
        QCOMPARE(test::errorSentenceOf([&] { engine->submit(requestFor("one too many")); }),
                 QStringLiteral("The queue is full (3 jobs); wait for some to finish or raise the limit in Settings."));
        QCOMPARE(engine->activeJobCount(), 3);
        QVERIFY(waitForCount(finished, 3));
        engine->submit(requestFor("room again"));
        QVERIFY(waitForCount(finished, 4));
        QVERIFY(!f.log->spokenSoFar().contains("one too many"));
    }

    void engineChoiceCsmWithoutCsmIsRefused() {
        Fixture f;
        auto engine = f.make();
        QVERIFY(!engine->csmInstalled());
        QCOMPARE(engine->activeEngineName(), QString("eSpeak NG"));
        const QString refusal = test::errorSentenceOf([&] { engine->submit(requestFor("hi"), {.engine = EngineSelection::Csm}); });
        QVERIFY2(refusal.contains(" is not installed; put its files in the model folder or choose eSpeak NG."), qPrintable(refusal));
    }

    // Job ids are read from the history at start, so two engines on one folder would hand out the
    // same ids: the second is refused with a sentence, until the first is gone.
    void secondEngineOnTheSameHistoryIsRefused() {
        Fixture f;
        auto first = f.make();
        try {
            auto second = f.make();
            QFAIL("a second engine on the same history must be refused");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains("Another EchoForge") && e.sentence().contains(QString::number(QCoreApplication::applicationPid())),
                     qPrintable(e.sentence()));
        }
        QVERIFY(servesOneJob(*first));
        first.reset();
        auto third = f.make();
        QVERIFY(servesOneJob(*third));
    }

    // Issue 16, point 3: an engine that takes several requests at once (CSM batches them) gets
    // the queued jobs side by side, never more than it takes; the others keep their order.
    void queuedJobsRunSideBySideUpToTheEnginesCapacity() {
        Fixture f;
        csmTakingAtOnce(f, 2, 2, 4);   // each waits for a companion: one at a time would stall 10 s
        auto engine = f.make();
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        QSignalSpy failed(engine.get(), &TaskEngine::failed);
        QStringList events;
        connect(engine.get(), &TaskEngine::started, this, [&](JobId id, const QString&) { events << QStringLiteral("start %1").arg(id); });
        connect(engine.get(), &TaskEngine::finished, this, [&](JobId id, const JobResult&) { events << QStringLiteral("end %1").arg(id); });
        QElapsedTimer clock;
        clock.start();
        QList<JobId> ids;
        for (int i = 0; i < 4; ++i)
            ids << engine->submit(requestFor(QStringLiteral("job %1").arg(i)), {.engine = EngineSelection::Csm});
        QVERIFY(waitForCount(finished, 4));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(f.csmLog->mostAtOnce.load(), 2);
        QVERIFY2(clock.elapsed() < 9000, "a job waited for a companion that never came");
        // The first two started before either ended, and all four started in queue order. Jobs
        // side by side reach the engine on threads of their own, in either order, so what the
        // engine heard is compared as a set.
        QCOMPARE(events.mid(0, 2), QStringList({QStringLiteral("start %1").arg(ids[0]), QStringLiteral("start %1").arg(ids[1])}));
        QCOMPARE(events.filter(QStringLiteral("start ")),
                 QStringList({QStringLiteral("start %1").arg(ids[0]), QStringLiteral("start %1").arg(ids[1]),
                              QStringLiteral("start %1").arg(ids[2]), QStringLiteral("start %1").arg(ids[3])}));
        QStringList spoken = f.csmLog->spokenSoFar();
        spoken.sort();
        QCOMPARE(spoken, QStringList({"job 0", "job 1", "job 2", "job 3"}));
        for (const auto& args : finished) {
            const JobResult r = args.at(1).value<JobResult>();
            QVERIFY(r.audio && r.audio->size() > 0);
        }
        QCOMPARE(engine->history()->count(), 4);
    }

    void oneJobAtATimeOnAnEngineThatTakesOne() {
        Fixture f;
        csmTakingAtOnce(f, 1, 0, 3);
        auto engine = f.make();
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        for (int i = 0; i < 3; ++i)
            engine->submit(requestFor(QStringLiteral("job %1").arg(i)), {.engine = EngineSelection::Csm});
        QVERIFY(waitForCount(finished, 3));
        QCOMPARE(f.csmLog->mostAtOnce.load(), 1);
    }

    // A job side by side with others fails or is cancelled alone: the others finish.
    void aFailedOrCancelledJobSideBySideLeavesTheOthers() {
        Fixture f;
        csmTakingAtOnce(f, 3, 2, 30);
        auto engine = f.make();
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        QSignalSpy failed(engine.get(), &TaskEngine::failed);
        QSignalSpy cancelled(engine.get(), &TaskEngine::cancelled);
        QSignalSpy started(engine.get(), &TaskEngine::started);
        const JobId good = engine->submit(requestFor("speaks to the end"), {.engine = EngineSelection::Csm});
        const JobId stopped = engine->submit(requestFor("is cancelled"), {.engine = EngineSelection::Csm});
        const JobId broken = engine->submit(requestFor("fail: on purpose"), {.engine = EngineSelection::Csm});
        QVERIFY(waitForCount(started, 3));
        QVERIFY(waitForCount(failed, 1));
        QCOMPARE(failed.at(0).at(0).value<JobId>(), broken);
        QVERIFY(engine->cancel(stopped));
        QVERIFY(waitForCount(cancelled, 1));
        QVERIFY(waitForCount(finished, 1));
        QCOMPARE(finished.at(0).at(0).value<JobId>(), good);
        QCOMPARE(cancelled.at(0).at(0).value<JobId>(), stopped);
        QVERIFY(f.csmLog->mostAtOnce.load() >= 2);
        QVERIFY(servesOneJob(*engine));   // the lane goes on
    }

    // Closing the engine while jobs run side by side stops every one of them within a frame,
    // and the engine is destroyed once, after its last job.
    void closingWhileJobsRunSideBySide() {
        Fixture f;
        csmTakingAtOnce(f, 3, 3, 1000);   // 10 s each if nothing stopped them
        auto engine = f.make();
        QSignalSpy started(engine.get(), &TaskEngine::started);
        for (int i = 0; i < 3; ++i)
            engine->submit(requestFor(QStringLiteral("long job %1").arg(i)), {.engine = EngineSelection::Csm});
        QVERIFY(waitForCount(started, 3));
        QTRY_COMPARE(f.csmLog->inside.load(), 3);
        QElapsedTimer clock;
        clock.start();
        engine.reset();
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(f.csmLog->inside.load(), 0);
        QCOMPARE(f.csmLog->created.load(), 1);
        QCOMPARE(f.csmLog->destroyed.load(), 1);
        // Their rows stay in the history, offered again on the next start.
        f.withCsm = false;
        auto again = f.make();
        QCOMPARE(again->pendingFromLastRun().size(), 3);
    }

    void twoHundredJobsFromFourThreadsFinishOnceEach() {
        Fixture f;
        f.config.queueLimit = 1000;
        f.sine.frames = 2;
        auto engine = f.make();
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        QSignalSpy failed(engine.get(), &TaskEngine::failed);
        constexpr int kThreads = 4;
        constexpr int kJobsPerThread = 50;
        QMutex idsMutex;
        QList<JobId> submitted;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back(QThread::create([&, t] {
                for (int j = 0; j < kJobsPerThread; ++j) {
                    const JobId id = engine->submit(requestFor(QString("thread %1 job %2").arg(t).arg(j)));
                    QMutexLocker lock(&idsMutex);
                    submitted.append(id);
                }
            }));
        }
        for (auto& t : threads)
            t->start();
        for (auto& t : threads)
            QVERIFY(t->wait(60000));
        QCOMPARE(submitted.size(), kThreads * kJobsPerThread);
        QCOMPARE(QSet<JobId>(submitted.begin(), submitted.end()).size(), kThreads * kJobsPerThread);

        QVERIFY(waitForCount(finished, kThreads * kJobsPerThread, 60000));
        QSet<JobId> done;
        for (const auto& args : finished)
            done.insert(args.at(0).value<JobId>());
        QCOMPARE(finished.count(), kThreads * kJobsPerThread);
        QCOMPARE(done, QSet<JobId>(submitted.begin(), submitted.end()));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(engine->history()->count(), kThreads * kJobsPerThread);
        QVERIFY(engine->history()->pending().isEmpty());
        QCOMPARE(engine->activeJobCount(), 0);
        // Nothing more arrives late.
        QVERIFY(!finished.wait(200));
        QCOMPARE(finished.count(), kThreads * kJobsPerThread);
    }
};

QTEST_GUILESS_MAIN(TestTaskEngine)
#include "tst_task_engine.moc"
