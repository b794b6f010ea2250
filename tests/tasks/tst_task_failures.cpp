// What goes wrong, and that the engine keeps serving: cancellation within a frame, engines that
// throw, a corrupt CSM model, an unwritable output folder, the CSM load/unload lifecycle, and
// jobs left queued when the engine stops.

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>
#include <qcoro/qcorotask.h>

#include "core/model/safetensors_writer.h"
#include "tests/tasks/engine_fixture.h"
#include "tests/engine/error_sentence.h"

using namespace echoforge;
using namespace echoforge::test;

namespace {

// Submits a short job and waits for it: the engine still serves.
bool servesNextJob(TaskEngine& engine, EngineSelection choice = EngineSelection::Auto) {
    QSignalSpy finished(&engine, &TaskEngine::finished);
    const JobId id = engine.submit(requestFor("next one"), {.engine = choice});
    return finished.wait(20000) && finished.at(0).at(0).value<JobId>() == id;
}

} // namespace

class TestTaskFailures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cancelRunningJobWithinOneFrame() {
        EngineFixture f;
        f.sine.frames = 500;
        f.sine.frameDelayMs = 5;
        auto engine = f.make();
        QSignalSpy progress(engine.get(), &TaskEngine::progress);
        QSignalSpy cancelled(engine.get(), &TaskEngine::cancelled);
        QSignalSpy finished(engine.get(), &TaskEngine::finished);

        QCoro::Task<JobResult> job = engine->generate(requestFor("a long speech"));   // starts now
        QVERIFY(progress.wait(20000));
        const JobId id = progress.at(0).at(0).value<JobId>();
        QCOMPARE(engine->state(id), std::optional(JobState::Running));
        QVERIFY(engine->cancel(id));
        QVERIFY(!engine->cancel(id));   // once is enough

        const QString error = QCoro::waitFor(errorOf(std::move(job)));
        QVERIFY2(error.startsWith("JobCancelled"), qPrintable(error));
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(cancelled.at(0).at(0).value<JobId>(), id);
        QVERIFY(f.log->framesAfterCancel <= 1);
        QVERIFY(f.log->cancelledAtFrame > 0 && f.log->cancelledAtFrame < f.sine.frames);
        QCOMPARE(finished.count(), 0);
        // A cancelled job holds nothing: no state, no pending row, no history entry.
        QCOMPARE(engine->state(id), std::nullopt);
        QCOMPARE(engine->activeJobCount(), 0);
        QVERIFY(engine->history()->pending().isEmpty());
        QVERIFY(!engine->history()->entry(id));

        f.log->cancelledAtFrame = -1;
        QSignalSpy next(engine.get(), &TaskEngine::finished);
        const JobId nextId = engine->submit(requestFor("short"));
        QVERIFY(progress.wait(20000));
        QVERIFY(engine->cancel(nextId));
        QVERIFY(cancelled.wait(20000));
        QCOMPARE(next.count(), 0);
    }

    void cancelQueuedJobNeverStarts() {
        EngineFixture f;
        f.sine.frames = 40;
        f.sine.frameDelayMs = 5;
        auto engine = f.make();
        QSignalSpy started(engine.get(), &TaskEngine::started);
        QSignalSpy cancelled(engine.get(), &TaskEngine::cancelled);
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        const JobId first = engine->submit(requestFor("first"));
        const JobId second = engine->submit(requestFor("second"));
        QVERIFY(engine->cancel(second));
        QVERIFY(cancelled.wait(20000));
        QCOMPARE(cancelled.at(0).at(0).value<JobId>(), second);
        QVERIFY(waitForCount(finished, 1));
        QCOMPARE(finished.at(0).at(0).value<JobId>(), first);
        QCOMPARE(started.count(), 1);
        QCOMPARE(f.log->spokenSoFar(), QStringList{"first"});
        QVERIFY(engine->history()->pending().isEmpty());
    }

    void failingEngineLeavesTheNextJobServed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("engine error") << "fail: please" << "The fake engine refuses";
        QTest::newRow("internal exception") << "crash: please" << "internal error: index out of range";
    }

    void failingEngineLeavesTheNextJobServed() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        EngineFixture f;
        auto engine = f.make();
        QSignalSpy failed(engine.get(), &TaskEngine::failed);
        const JobId id = engine->submit(requestFor(text));
        QVERIFY(failed.wait(20000));
        QCOMPARE(failed.at(0).at(0).value<JobId>(), id);
        const QString sentence = failed.at(0).at(1).toString();
        QVERIFY2(sentence.contains(expected), qPrintable(sentence));
        QVERIFY(engine->history()->pending().isEmpty());
        QVERIFY(servesNextJob(*engine));
        QCOMPARE(f.log->created.load(), 1);   // the same engine instance served on
    }

    void unwritableOutputFolderFailsOnlyThatJob() {
        EngineFixture f;
        auto engine = f.make();
        // A file where the folder should be: unwritable even for root, like a full disk.
        const QString blocker = f.dir.filePath("blocker");
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QSignalSpy failed(engine.get(), &TaskEngine::failed);
        const JobId id = engine->submit(requestFor("to nowhere"), {.outputPath = blocker + "/sub/take.wav"});
        QVERIFY(failed.wait(20000));
        const QString sentence = failed.at(0).at(1).toString();
        QVERIFY2(sentence.contains(blocker) && sentence.contains("writable"), qPrintable(sentence));
        QVERIFY(!engine->history()->entry(id));
        QVERIFY(!QFile::exists(engine->history()->audioPathFor(id)));
        QVERIFY(engine->history()->pending().isEmpty());
        QVERIFY(servesNextJob(*engine));
    }

    void corruptCsmModelFallsBackToEspeak() {
        EngineFixture f;
        f.withCsm = true;
        f.csmCorrupt = true;
        auto engine = f.make();
        QCOMPARE(engine->activeEngineName(), QString("CSM-1B"));
        QSignalSpy loadFailed(engine.get(), &TaskEngine::modelLoadFailed);
        QSignalSpy activeChanged(engine.get(), &TaskEngine::activeEngineChanged);
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        QSignalSpy failed(engine.get(), &TaskEngine::failed);

        engine->submit(requestFor("auto request"));
        QVERIFY(finished.wait(20000));
        QCOMPARE(loadFailed.count(), 1);
        QVERIFY(loadFailed.at(0).at(0).toString().contains("model.safetensors is corrupt"));
        QCOMPARE(finished.at(0).at(1).value<JobResult>().speech.engineId, QString("espeak"));
        QCOMPARE(activeChanged.last().at(0).toString(), QString("eSpeak NG"));
        QCOMPARE(engine->activeEngineName(), QString("eSpeak NG"));
        QVERIFY(engine->csmLoadError().contains("corrupt"));

        // Asking for CSM by name tries again and says why it cannot.
        engine->submit(requestFor("csm please"), {.engine = EngineSelection::Csm});
        QVERIFY(failed.wait(20000));
        const QString sentence = failed.at(0).at(1).toString();
        QVERIFY2(sentence.contains("CSM-1B could not be loaded") && sentence.contains("corrupt"), qPrintable(sentence));
        QCOMPARE(f.csmLog->created.load(), 2);
        QVERIFY(servesNextJob(*engine));
        QCOMPARE(f.csmLog->created.load(), 2);   // auto requests stay on eSpeak NG meanwhile
    }

    // Issue 18: a model file truncated while CSM has it loaded. The loaded model keeps speaking
    // (its weights were mapped, and the next read of a lost page killed the process with SIGBUS);
    // once CSM is unloaded, loading the damaged file gives the user a sentence naming it and
    // automatic requests go to eSpeak NG.
    void modelFileTruncatedWhileLoaded() {
        EngineFixture f;
        f.withCsm = true;
        f.csmWeights = f.dir.filePath("csm/model.safetensors");
        QVERIFY(QDir().mkpath(f.dir.filePath("csm")));
        QByteArray bytes(2 << 20, Qt::Uninitialized);
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char((i * 131 + 7) % 251);
        writeSafetensors(f.csmWeights, {{"w", TensorDType::F32, {512, 1024}, bytes}});
        auto engine = f.make();
        QSignalSpy loadFailed(engine.get(), &TaskEngine::modelLoadFailed);
        QSignalSpy unloaded(engine.get(), &TaskEngine::modelUnloaded);

        QCOMPARE(QCoro::waitFor(engine->generate(requestFor("loads the model"))).speech.engineId, QString("csm"));
        QVERIFY(QFile::resize(f.csmWeights, 8192));   // the header and one page are left
        QCOMPARE(QCoro::waitFor(engine->generate(requestFor("after the truncation"))).speech.engineId, QString("csm"));
        QCOMPARE(loadFailed.count(), 0);

        engine->setModelIdleUnloadInterval(std::chrono::milliseconds(50));
        QVERIFY(unloaded.wait(20000));
        const JobResult fallback = QCoro::waitFor(engine->generate(requestFor("on eSpeak NG now")));
        QCOMPARE(fallback.speech.engineId, QString("espeak"));
        QCOMPARE(loadFailed.count(), 1);
        const QString sentence = loadFailed.at(0).at(0).toString();
        QVERIFY2(sentence.contains(f.csmWeights) && sentence.contains("truncated"), qPrintable(sentence));
        QVERIFY(engine->csmLoadError().contains(f.csmWeights));
        QVERIFY(servesNextJob(*engine));
    }

    void csmLoadsLazilyAndUnloadsWhenIdle() {
        EngineFixture f;
        f.withCsm = true;
        f.config.modelIdleUnload = std::chrono::milliseconds(0);
        auto engine = f.make();
        QCOMPARE(f.csmLog->created.load(), 0);
        QVERIFY(!engine->csmLoaded());
        QSignalSpy loadProgress(engine.get(), &TaskEngine::modelLoadProgress);
        QSignalSpy loaded(engine.get(), &TaskEngine::modelLoaded);
        QSignalSpy unloaded(engine.get(), &TaskEngine::modelUnloaded);

        const JobResult first = QCoro::waitFor(engine->generate(requestFor("with CSM")));
        QCOMPARE(first.speech.engineId, QString("csm"));
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(loaded.at(0).at(0).toString(), QString("Fake CSM"));
        QCOMPARE(loadProgress.count(), 2);
        QCOMPARE(loadProgress.last().at(0).toDouble(), 1.0);
        QVERIFY(engine->csmLoaded());
        const JobResult espeak = QCoro::waitFor(engine->generate(requestFor("by name"), {.engine = EngineSelection::Espeak}));
        QCOMPARE(espeak.speech.engineId, QString("espeak"));

        engine->setModelIdleUnloadInterval(std::chrono::milliseconds(50));
        QVERIFY(unloaded.wait(20000));
        QVERIFY(!engine->csmLoaded());
        QCOMPARE(f.csmLog->destroyed.load(), 1);

        const JobResult again = QCoro::waitFor(engine->generate(requestFor("CSM again")));
        QCOMPARE(again.speech.engineId, QString("csm"));
        QCOMPARE(f.csmLog->created.load(), 2);
    }

    // The studio preloads CSM behind its first frame: the model loads with no job, once, and a
    // job submitted meanwhile waits for that load instead of starting a second one.
    void preloadLoadsCsmOnceAheadOfTheFirstJob() {
        EngineFixture f;
        f.withCsm = true;
        auto engine = f.make();
        QSignalSpy loaded(engine.get(), &TaskEngine::modelLoaded);
        engine->preloadCsm();
        engine->preloadCsm();   // a second call while the first loads is nothing
        const JobResult first = QCoro::waitFor(engine->generate(requestFor("queued during the preload")));
        QCOMPARE(first.speech.engineId, QString("csm"));
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(f.csmLog->created.load(), 1);
        QCOMPARE(f.csmLog->spokenSoFar(), QStringList{"queued during the preload"});

        engine->preloadCsm();   // loaded already: nothing
        QVERIFY(servesNextJob(*engine));
        QCOMPARE(f.csmLog->created.load(), 1);
        QCOMPARE(loaded.count(), 1);
    }

    // A preload that fails is reported as a job's load failure would be, and automatic requests
    // go to eSpeak NG without trying CSM again.
    void failedPreloadFallsBackToEspeak() {
        EngineFixture f;
        f.withCsm = true;
        f.csmCorrupt = true;
        auto engine = f.make();
        QSignalSpy loadFailed(engine.get(), &TaskEngine::modelLoadFailed);
        engine->preloadCsm();
        QVERIFY(loadFailed.wait(20000));
        QVERIFY2(loadFailed.at(0).at(0).toString().contains("model.safetensors is corrupt"),
                 qPrintable(loadFailed.at(0).at(0).toString()));
        QCOMPARE(engine->activeEngineName(), QString("eSpeak NG"));
        const JobResult fallback = QCoro::waitFor(engine->generate(requestFor("after a failed preload")));
        QCOMPARE(fallback.speech.engineId, QString("espeak"));
        QCOMPARE(f.csmLog->created.load(), 1);
        engine->preloadCsm();   // the failure stands until retryCsm(): no second load
        QVERIFY(servesNextJob(*engine));
        QCOMPARE(f.csmLog->created.load(), 1);
    }

    // New settings for CSM (engine, device, threads, precision) apply without a restart: the
    // running job ends on the old model, the next loads the new one; turning CSM off fails the
    // jobs queued for it alone and sends automatic ones to eSpeak NG.
    void replacingCsmAppliesToTheNextJob() {
        EngineFixture f;
        f.withCsm = true;
        f.csm.frames = 40;
        f.csm.frameDelayMs = 10;
        auto engine = f.make();
        QSignalSpy started(engine.get(), &TaskEngine::started);
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        QSignalSpy failed(engine.get(), &TaskEngine::failed);
        QSignalSpy activeChanged(engine.get(), &TaskEngine::activeEngineChanged);

        const JobId running = engine->submit(requestFor("on the old model"));
        QVERIFY(waitForCount(started, 1));
        auto newLog = std::make_shared<EngineLog>();
        SineConfig newCsm = f.csm;
        newCsm.name = "Fake CSM, new settings";
        newCsm.frames = 2;
        newCsm.frameDelayMs = 0;
        engine->replaceCsm(sineFactory(newCsm, newLog));
        const JobId next = engine->submit(requestFor("on the new model"));
        QVERIFY(waitForCount(finished, 2));
        // Takes are written in a pool, so jobs may finish out of order: look them up by id.
        auto resultOf = [&](JobId id) {
            for (const auto& args : finished)
                if (args.at(0).value<JobId>() == id)
                    return args.at(1).value<JobResult>();
            return JobResult{};
        };
        QCOMPARE(resultOf(running).speech.engineName, QString("Fake CSM"));
        QCOMPARE(resultOf(next).speech.engineName, QString("Fake CSM, new settings"));
        QCOMPARE(f.csmLog->created.load(), 1);
        QCOMPARE(f.csmLog->destroyed.load(), 1);   // the old model is freed
        QCOMPARE(newLog->created.load(), 1);
        QCOMPARE(activeChanged.last().at(0).toString(), QString("CSM-1B"));

        // CSM off while a job runs on it: that job ends, a job queued for CSM alone fails with a
        // sentence, an automatic one goes to eSpeak NG.
        newCsm.frames = 40;
        newCsm.frameDelayMs = 10;
        engine->replaceCsm(sineFactory(newCsm, newLog));
        const JobId onCsm = engine->submit(requestFor("still CSM"));
        QVERIFY(waitForCount(started, 3));
        const JobId csmOnly = engine->submit(requestFor("CSM alone"), {.engine = EngineSelection::Csm});
        engine->replaceCsm({});
        const JobId automatic = engine->submit(requestFor("anything"));
        QVERIFY(waitForCount(finished, 4));
        QVERIFY(waitForCount(failed, 1));
        QCOMPARE(failed.at(0).at(0).value<JobId>(), csmOnly);
        QVERIFY2(failed.at(0).at(1).toString().contains("turned off in the settings"), qPrintable(failed.at(0).at(1).toString()));
        QCOMPARE(resultOf(onCsm).speech.engineName, QString("Fake CSM, new settings"));
        QCOMPARE(resultOf(automatic).speech.engineId, QString("espeak"));
        QCOMPARE(engine->activeEngineName(), QString("eSpeak NG"));
        QVERIFY(!engine->csmInstalled());
        const QString refusal = test::errorSentenceOf([&] { engine->submit(requestFor("no CSM"), {.engine = EngineSelection::Csm}); });
        QVERIFY2(refusal.contains(" is not installed; put its files in the model folder or choose eSpeak NG."), qPrintable(refusal));
    }

    // Retry works for any failed or cancelled job, whoever submitted it: the same request and
    // options go into the queue again under a new id.
    void failedOrCancelledJobsCanBeRetried() {
        EngineFixture f;
        f.sine.frames = 200;
        f.sine.frameDelayMs = 5;
        auto engine = f.make();
        QSignalSpy started(engine.get(), &TaskEngine::started);
        QSignalSpy cancelled(engine.get(), &TaskEngine::cancelled);
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        QSignalSpy failed(engine.get(), &TaskEngine::failed);

        const JobId slow = engine->submit(requestFor("say it again"), {.priority = JobPriority::Batch});
        QVERIFY(waitForCount(started, 1));
        try {
            engine->retry(slow);
            QFAIL("a running job cannot be retried");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains("not over yet"), qPrintable(e.sentence()));
        }
        QVERIFY(engine->cancel(slow));
        QVERIFY(waitForCount(cancelled, 1));
        const JobId again = engine->retry(slow);
        QVERIFY(again != slow);
        QVERIFY(waitForCount(finished, 1));
        const JobResult r = finished.at(0).at(1).value<JobResult>();
        QCOMPARE(finished.at(0).at(0).value<JobId>(), again);
        QCOMPARE(f.log->spokenSoFar().count("say it again"), 2);
        // retried once: gone from the list
        QCOMPARE(test::errorSentenceOf([&] { engine->retry(slow); }),
                 QStringLiteral("Job %1 is no longer known, so it cannot be retried; start it again.").arg(slow));
        QCOMPARE(test::errorSentenceOf([&] { engine->retry(987654); }),
                 QStringLiteral("Job 987654 is no longer known, so it cannot be retried; start it again."));

        const JobId broken = engine->submit(requestFor("fail: always"));
        QVERIFY(waitForCount(failed, 1));
        QCOMPARE(failed.at(0).at(0).value<JobId>(), broken);
        engine->retry(broken);
        QVERIFY(waitForCount(failed, 2));   // it fails again, and says so again
        QVERIFY(r.audio && !r.audio->empty());
    }

    void queuedJobsAreOfferedAfterRestart() {
        EngineFixture f;
        f.sine.frames = 1000;
        f.sine.frameDelayMs = 5;
        QList<JobId> before;
        {
            auto engine = f.make();
            QSignalSpy started(engine.get(), &TaskEngine::started);
            for (const char* text : {"one", "two", "three"})
                before.append(engine->submit(requestFor(text)));
            QVERIFY(started.wait(20000));
        }   // stops with one job running and two queued

        f.sine.frames = 2;
        f.sine.frameDelayMs = 0;
        auto engine = f.make();
        const QList<PendingJob> offered = engine->pendingFromLastRun();
        QCOMPARE(offered.size(), 3);
        QCOMPARE(offered.at(0).id, before.at(0));
        QCOMPARE(offered.at(2).request.text, QString("three"));
        QCOMPARE(offered.at(1).request.character.name, QString("Narrator"));

        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        const QList<JobId> again = engine->resubmitPending();
        QCOMPARE(again.size(), 3);
        QVERIFY(again.first() > before.last());   // ids never repeat across runs
        QVERIFY(waitForCount(finished, 3));
        QVERIFY(engine->pendingFromLastRun().isEmpty());
        QVERIFY(engine->history()->pending().isEmpty());
        QCOMPARE(engine->history()->count(), 3);
    }

    void discardedPendingJobsAreGone() {
        EngineFixture f;
        f.sine.frames = 1000;
        f.sine.frameDelayMs = 5;
        {
            auto engine = f.make();
            QSignalSpy started(engine.get(), &TaskEngine::started);
            engine->submit(requestFor("left behind"));
            QVERIFY(started.wait(20000));
        }
        {
            auto engine = f.make();
            QCOMPARE(engine->pendingFromLastRun().size(), 1);
            engine->discardPending();
            QVERIFY(engine->pendingFromLastRun().isEmpty());
        }
        auto engine = f.make();
        QVERIFY(engine->pendingFromLastRun().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTaskFailures)
#include "tst_task_failures.moc"
