// The disk fills up while a take and the history are written: the job fails with a sentence, the
// engine keeps working once there is room again, and nothing already kept is damaged (the
// history passes PRAGMA integrity_check, earlier takes are whole, no temporary is left).
//
// Two ways to fill it: a file-size limit (RLIMIT_FSIZE: writes past it fail with EFBIG, as on a
// full disk; works for any user) and a real 1 MB tmpfs filled with a filler file (ENOSPC; needs
// root to mount, skipped otherwise).

#include <csignal>
#include <functional>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QtTest>

#include "tests/engine/error_sentence.h"
#include "tests/tasks/crash_test_support.h"
#include "tests/tasks/engine_fixture.h"

using namespace echoforge;
using namespace echoforge::test;

namespace {

// Fills the file system holding `folder` with one file until a write fails; returns its path.
QString fillUp(const QString& folder) {
    const QString path = QDir(folder).filePath("filler");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    const QByteArray block(4096, 'x');
    while (f.write(block) == block.size() && f.flush()) {
    }
    return path;
}

// A file-size limit for this process, lifted when it goes out of scope.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        getrlimit(RLIMIT_FSIZE, &m_old);
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN);   // fail the write with EFBIG instead of dying
        rlimit limit{bytes, m_old.rlim_max};
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit() {
        setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_previousHandler);
    }

private:
    rlimit m_old{};
    void (*m_previousHandler)(int) = nullptr;
};

} // namespace

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
        if (geteuid() != 0)
            QSKIP("mounting a small tmpfs needs root");
        QTemporaryDir mountPoint;
        if (mount("tmpfs", QFile::encodeName(mountPoint.path()).constData(), "tmpfs", 0, "size=1m") != 0)
            QSKIP("this system does not let the test mount a tmpfs (a container without CAP_SYS_ADMIN)");
        struct Unmount {
            QString path;
            ~Unmount() { umount2(QFile::encodeName(path).constData(), MNT_DETACH); }
        } unmount{mountPoint.path()};

        EngineFixture f;
        f.config.historyDir = QDir(mountPoint.path()).filePath("history");
        f.sine.frames = 20;
        QString filler;
        checkFullDisk(f, "No space left on device", [&] { filler = fillUp(mountPoint.path()); },
                      [&] { QVERIFY(QFile::remove(filler)); });
    }
};

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_disk_full.moc"
