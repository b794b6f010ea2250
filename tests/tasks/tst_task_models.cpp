// The queue and history models the views show, checked by QAbstractItemModelTester while the
// task engine drives them.

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>
#include <qcoro/qcorotask.h>

#include "core/tasks/history_model.h"
#include "core/tasks/queue_model.h"
#include "tests/tasks/engine_fixture.h"

using namespace echoforge;
using namespace echoforge::test;

namespace {

SpeechRequest spokenBy(const QString& text, const QString& characterId, const QString& name, double temperature) {
    SpeechRequest r = requestFor(text);
    r.character.id = characterId;
    r.character.name = name;
    r.params.temperature = temperature;
    return r;
}

} // namespace

class TestTaskModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void queueModelFollowsEveryState() {
        EngineFixture f;
        f.sine.frames = 400;
        f.sine.frameDelayMs = 5;
        auto engine = f.make();
        QueueModel model(*engine);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy progress(engine.get(), &TaskEngine::progress);
        QSignalSpy cancelled(engine.get(), &TaskEngine::cancelled);
        QSignalSpy failed(engine.get(), &TaskEngine::failed);

        const JobId slow = engine->submit(requestFor("slow one"));
        const JobId broken = engine->submit(requestFor("fail: broken one"), {.priority = JobPriority::Batch});
        QCOMPARE(model.rowCount(), 0);   // rows come with the `queued` signal
        QVERIFY(waitForCount(progress, 3));
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex slowRow = model.index(model.rowOf(slow));
        QCOMPARE(slowRow.data(QueueModel::StateRole).toString(), QString("running"));
        QCOMPARE(slowRow.data(QueueModel::EngineRole).toString(), QString("eSpeak NG"));
        const double fraction = slowRow.data(QueueModel::ProgressRole).toDouble();
        QVERIFY(fraction > 0 && fraction < 1);
        QVERIFY(slowRow.data(QueueModel::EtaRole).toDouble() > 0);
        QCOMPARE(model.index(model.rowOf(broken)).data(QueueModel::StateRole).toString(), QString("queued"));
        QCOMPARE(model.index(model.rowOf(broken)).data(QueueModel::PriorityRole).toString(), QString("batch"));

        engine->cancel(slow);
        QVERIFY(cancelled.wait(20000));
        QVERIFY(failed.wait(20000));
        QCOMPARE(slowRow.data(QueueModel::StateRole).toString(), QString("cancelled"));
        const QModelIndex brokenRow = model.index(model.rowOf(broken));
        QCOMPARE(brokenRow.data(QueueModel::StateRole).toString(), QString("failed"));
        QVERIFY(brokenRow.data(QueueModel::ErrorRole).toString().contains("refuses"));
        QCOMPARE(brokenRow.data(Qt::ToolTipRole), brokenRow.data(QueueModel::ErrorRole));

        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        const JobId done = engine->submit(requestFor("fine"), {.priority = JobPriority::Interactive});
        QVERIFY(progress.wait(20000));
        engine->cancelAll();
        QVERIFY(cancelled.wait(20000));
        QCOMPARE(model.index(model.rowOf(done)).data(QueueModel::StateRole).toString(), QString("cancelled"));

        QCOMPARE(model.rowCount(), 3);
        model.clearFinished();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.roleNames().values().contains("eta"));
    }

    void queueModelShowsFinishedAudio() {
        EngineFixture f;
        auto engine = f.make();
        QueueModel model(*engine);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const JobResult result = QCoro::waitFor(engine->generate(requestFor("done")));
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex row = model.index(0);
        QCOMPARE(row.data(QueueModel::StateRole).toString(), QString("finished"));
        QCOMPARE(row.data(QueueModel::ProgressRole).toDouble(), 1.0);
        QCOMPARE(row.data(QueueModel::AudioPathRole).toString(), result.audioPath);
        QCOMPARE(row.data(Qt::DisplayRole).toString(), QString("Narrator: done"));
    }

    void historyModelSearchesDeletesAndReuses() {
        EngineFixture f;
        auto engine = f.make();
        QCoro::waitFor(engine->generate(spokenBy("Good morning, everyone.", "alice", "Alice", 0.7)));

        HistoryModel model(*engine->history());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 1);
        model.watch(*engine);
        QCoro::waitFor(engine->generate(spokenBy("The weather is mild.", "bob", "Bob", 0.8)));
        QCoro::waitFor(engine->generate(spokenBy("Good night, 100% sure_ly.", "bob", "Bob", 0.9)));
        QCoro::waitFor(engine->generate(requestFor("not kept"), {.keepInHistory = false}));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0).data(HistoryModel::TextRole).toString(), QString("Good night, 100% sure_ly."));

        model.setFilterText("good");
        QCOMPARE(model.rowCount(), 2);
        model.setFilterText("ALICE");
        QCOMPARE(model.rowCount(), 1);
        model.setFilterText("100%");   // LIKE wildcards are searched for literally
        QCOMPARE(model.rowCount(), 1);
        model.setFilterText("sure_ly");
        QCOMPARE(model.rowCount(), 1);
        model.setFilterText("0% s");
        QCOMPARE(model.rowCount(), 1);
        model.setFilterText("bob");
        QCOMPARE(model.rowCount(), 2);
        // A new entry appears only when it matches the filter.
        QCoro::waitFor(engine->generate(spokenBy("Someone else.", "carol", "Carol", 0.5)));
        QCOMPARE(model.rowCount(), 2);

        const HistoryEntry reuse = model.entryAt(1);
        QCOMPARE(reuse.request.text, QString("The weather is mild."));
        QCOMPARE(reuse.request.params.temperature, 0.8);
        QCOMPARE(reuse.request.params.seed, std::optional<std::uint64_t>(7));
        const QVariantMap params = model.index(1).data(HistoryModel::ParametersRole).toMap();
        QCOMPARE(params.value("temperature").toDouble(), 0.8);
        QCOMPARE(model.index(1).data(HistoryModel::EngineRole).toString(), QString("Fake eSpeak"));

        const QString audio = reuse.audioPath;
        QVERIFY(QFile::exists(audio));
        QVERIFY(model.removeEntry(1));
        QVERIFY(!model.removeEntry(5));
        QVERIFY(!QFile::exists(audio));
        QCOMPARE(model.rowCount(), 1);
        model.setFilterText(QString());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(engine->history()->count(), 3);
    }
};

QTEST_GUILESS_MAIN(TestTaskModels)
#include "tst_task_models.moc"
