// The disk fills up while a take and the history are written: the job fails with a sentence, the
// engine keeps working once there is room again, and nothing already kept is damaged (the
// history passes PRAGMA integrity_check, earlier takes are whole, no temporary is left).
//
// Two ways to fill it (tests/tasks/full_disk.h): a file-size limit (EFBIG) and a real 1 MB tmpfs
// filled with a filler file (ENOSPC; needs root to mount, skipped otherwise).

#include <functional>

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QtTest>

#include "tests/engine/error_sentence.h"
#include "tests/tasks/crash_test_support.h"
#include "tests/tasks/engine_fixture.h"
#include "tests/tasks/full_disk.h"

using namespace echoforge;
using namespace echoforge::test;

class TestDiskFull : public QObject {
    Q_OBJECT

    // Runs one job before the disk fills, one while it is full, one after room is made again.
    void checkFullDisk(EngineFixture& f, const QString& reason, const std::function<void()>& fill,
                       const std::function<void()>& makeRoom) {
        auto engine = f.make();
        QSignalSpy finished(engine.get(), &TaskEngine::finished);
        QSignalSpy failed(engine.get(), &TaskEngine::failed);
        engine->submit(requestFor("before the disk filled"));
        QVERIFY(waitForCount(finished, 1));
        const QString firstTake = engine->history()->entries().front().audioPath;
        const qint64 firstSize = QFileInfo(firstTake).size();
        QVERIFY(firstSize > 44);

        fill();
        // Either the queue cannot record the job (submit refuses it) or the job fails when its
        // take or history entry is written; both must come with the sentence.
        QString sentence;
        try {
            const JobId full = engine->submit(requestFor("while the disk is full"));
            QVERIFY(waitForCount(failed, 1));
            QCOMPARE(failed.at(0).at(0).value<JobId>(), full);
            sentence = failed.at(0).at(1).toString();
        } catch (const Error& e) {
            sentence = e.sentence();
        }
        qInfo("the sentence: %s", qPrintable(sentence));
        // Either the take (named as the user knows it, not its temporary) or the history refused.
        const QString take = QDir(engine->history()->folder()).filePath("audio/2.wav");
        QVERIFY2(sentence == QStringLiteral("Cannot write %1 (%2); check that the disk has room.").arg(take, reason) ||
                     (sentence.startsWith("The history database ") && sentence.endsWith("check that the disk has room.")),
                 qPrintable(sentence));
        QCOMPARE(finished.count(), 1);
        makeRoom();

        engine->submit(requestFor("after room was made"));
        QVERIFY(waitForCount(finished, 2));
        QCOMPARE(QFileInfo(firstTake).size(), firstSize);   // the earlier take is untouched
        const QString historyDir = engine->history()->folder();
        engine.reset();
        QCOMPARE(integrityOf(QDir(historyDir).filePath("history.sqlite")), QStringLiteral("ok"));
        const QStringList temporaries =
            QDir(QDir(historyDir).filePath("audio")).entryList({".*.wav"}, QDir::Files | QDir::Hidden);
        QVERIFY2(temporaries.isEmpty(), qPrintable(temporaries.join(", ")));

        // A new engine on the same history sees both takes and nothing pending.
        auto again = f.make();
        QCOMPARE(again->history()->count(), 2);
        QVERIFY(again->history()->pending().isEmpty());
    }

private Q_SLOTS:
    void fileSizeLimitWhileWritingATake() {
        EngineFixture f;
        f.sine.frames = 20;   // a take of 44 + 20 * 3840 bytes: well past the limit below
        std::unique_ptr<FileSizeLimit> limit;
        checkFullDisk(f, "File too large", [&] { limit = std::make_unique<FileSizeLimit>(16 * 1024); },
                      [&] { limit.reset(); });
    }

    void fullFileSystem() {
        SmallTmpfs tmpfs("1m");
        if (!tmpfs.mounted())
            QSKIP("mounting a small tmpfs needs root and a system that allows it (a container may not)");
        EngineFixture f;
        f.config.historyDir = tmpfs.filePath("history");
        f.sine.frames = 20;
        QString filler;
        checkFullDisk(f, "No space left on device", [&] { filler = fillUp(tmpfs.path()); },
                      [&] { QVERIFY(QFile::remove(filler)); });
    }
};

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_disk_full.moc"
