// Backup and restore: the user's data goes into one archive with a manifest and checksums and comes
// back the same; the machine's models, caches and logs are neither stored nor replaced; a damaged
// or hostile archive and a folder in use are refused with a sentence, the old data untouched.

#include <optional>

#include <QDirIterator>
#include <QLockFile>
#include <QRandomGenerator>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "core/backup/backup.h"
#include "core/backup/backup_archive.h"
#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/tasks/task_engine.h"
#include "tests/backup/archive_builder.h"
#include "tests/tasks/full_disk.h"
#include "tests/tasks/fake_engines.h"

using namespace echoforge;
using test::RawEntry;
using test::writeFile;

namespace {

// FIPS 180-2, appendix B.1: SHA-256("abc").
constexpr char kShaOfAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

// Every file below `dir` with its bytes: what "untouched" and "the same" are checked against.
QMap<QString, QByteArray> snapshot(const QString& dir) {
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        f.open(QIODevice::ReadOnly);
        files.insert(QDir(dir).relativeFilePath(f.fileName()), f.readAll());
    }
    return files;
}

// A home with settings in one folder and the data (with this machine's models, cache and logs
// inside it, as with ECHOFORGE_DATA_DIR) in another.
struct Home {
    QTemporaryDir dir;
    AppPaths paths;
    Home() {
        paths.configDir = dir.filePath("config");
        paths.settingsFile = dir.filePath("config/settings.ini");
        paths.dataDir = dir.filePath("data");
        paths.voicesDir = dir.filePath("data/voices");
        paths.historyDir = dir.filePath("data/history");
        paths.modelsDir = dir.filePath("data/models");
        paths.cacheDir = dir.filePath("data/cache");
        paths.logsDir = dir.filePath("data/logs");
    }
    QString data(const QString& rel) const { return QDir(paths.dataDir).filePath(rel); }
};

int rowCount(const QString& dbFile) {
    int n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "count");
        db.setDatabaseName(dbFile);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec("SELECT count(*) FROM takes") && q.next()) n = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase("count");
    return n;
}

} // namespace

class TestBackup : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripGivesBackTheUserDataOnly() {
        Home h;
        writeFile(h.data("voices/mine/character.json"), R"({"id":"mine","name":"Mine"})");
        writeFile(h.data("anchors/mine/anchor.bin"), "abc");
        writeFile(h.data("models/csm/model.safetensors"), "weights");
        writeFile(h.data("cache/samples/x.wav"), "cached");
        writeFile(h.data("logs/echoforge.log"), "log");
        writeFile(h.data("history/engine.lock"), "123\necho\nhost\n");
        {
            QSettings s(h.paths.settingsFile, QSettings::IniFormat);
            s.setValue("generation/temperature", 0.5);
        }
        // A live database in WAL mode whose rows are still in the -wal file: the backup must hold them.
        QDir().mkpath(h.paths.historyDir);
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "live");
        db.setDatabaseName(h.data("history/history.sqlite"));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec("PRAGMA journal_mode=WAL"));
        QVERIFY(q.exec("PRAGMA wal_autocheckpoint=0"));
        QVERIFY(q.exec("CREATE TABLE takes (id INTEGER PRIMARY KEY, text TEXT)"));
        QVERIFY(q.exec("INSERT INTO takes (text) VALUES ('one'), ('two')"));
        QVERIFY(QFileInfo(h.data("history/history.sqlite-wal")).size() > 0);

        const QString archive = h.dir.filePath("backup.tar.gz");
        const BackupManifest made = createBackup(h.paths, archive);
        QStringList stored;
        for (const BackupFile& f : made.files) stored << f.path;
        stored.sort();
        QCOMPARE(stored, QStringList({"config/settings.ini", "data/anchors/mine/anchor.bin", "data/history/history.sqlite",
                                      "data/voices/mine/character.json"}));
        QCOMPARE(made.find("data/anchors/mine/anchor.bin")->sha256, QByteArray(kShaOfAbc));
        QCOMPARE(made.find("data/anchors/mine/anchor.bin")->size, 3);
        // What a reader sees in the file is what the writer said.
        const BackupManifest read = readBackupArchive(archive);
        QCOMPARE(read.files, made.files);

        // The user changes things after the backup...
        QVERIFY(q.exec("INSERT INTO takes (text) VALUES ('three')"));
        q = QSqlQuery();
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase("live");
        QVERIFY(QDir(h.data("voices/mine")).removeRecursively());
        writeFile(h.data("voices/other/character.json"), R"({"id":"other"})");
        writeFile(h.data("anchors/mine/anchor.bin"), "changed");
        {
            QSettings s(h.paths.settingsFile, QSettings::IniFormat);
            s.setValue("generation/temperature", 0.9);
        }
        QFile::remove(h.data("history/engine.lock"));
        const auto machineBefore = snapshot(h.data("models"));

        // ... and restores: the backup's state, exactly.
        restoreBackup(h.paths, archive);
        QCOMPARE(snapshot(h.data("voices")), (QMap<QString, QByteArray>{{"mine/character.json", R"({"id":"mine","name":"Mine"})"}}));
        QCOMPARE(snapshot(h.data("anchors")), (QMap<QString, QByteArray>{{"mine/anchor.bin", "abc"}}));
        QCOMPARE(rowCount(h.data("history/history.sqlite")), 2);
        QCOMPARE(QSettings(h.paths.settingsFile, QSettings::IniFormat).value("generation/temperature").toDouble(), 0.5);
        QCOMPARE(snapshot(h.data("models")), machineBefore);
        QCOMPARE(snapshot(h.data("cache")), (QMap<QString, QByteArray>{{"samples/x.wav", "cached"}}));
        QVERIFY(QFileInfo::exists(h.data("logs/echoforge.log")));
        // No working folders left behind.
        QCOMPARE(QDir(h.paths.dataDir).entryList({".restore-*"}, QDir::AllEntries | QDir::Hidden), QStringList());
        QCOMPARE(QDir(h.paths.configDir).entryList({".restore-*"}, QDir::AllEntries | QDir::Hidden), QStringList());
    }

    // With ECHOFORGE_DATA_DIR the settings file is inside the data folder: it is stored once, as
    // the settings, and comes back as they were.
    void settingsInsideTheDataFolderComeBack() {
        Home h;
        h.paths.configDir = h.paths.dataDir;
        h.paths.settingsFile = h.data("settings.ini");
        writeFile(h.paths.settingsFile, "[ui]\ntheme=dark\n");
        writeFile(h.data("voices/mine/character.json"), "mine");
        const QString archive = h.dir.filePath("backup.tar.gz");
        QStringList stored;
        for (const BackupFile& f : createBackup(h.paths, archive).files) stored << f.path;
        stored.sort();
        QCOMPARE(stored, QStringList({"config/settings.ini", "data/voices/mine/character.json"}));
        writeFile(h.paths.settingsFile, "[ui]\ntheme=light\n");
        restoreBackup(h.paths, archive);
        const auto after = snapshot(h.paths.dataDir);
        QCOMPARE(after.value("settings.ini"), QByteArray("[ui]\ntheme=dark\n"));
        QCOMPARE(after.value("voices/mine/character.json"), QByteArray("mine"));
        for (const QString& name : after.keys()) QVERIFY2(!name.contains(".restore-"), qPrintable(name));
    }

    void damagedArchiveIsRefusedAndDataUntouched_data() {
        QTest::addColumn<QByteArray>("archive");
        QTest::addColumn<QString>("sentence");
        const RawEntry voice{"data/voices/x/character.json", R"({"id":"x"})"};
        const QByteArray manifest = test::manifestFor({voice});
        const QByteArray good = test::buildArchive({voice, {"manifest.json", manifest}});

        RawEntry flipped = voice;
        flipped.content[3] = 'X';
        QTest::newRow("a changed byte") << test::buildArchive({flipped, {"manifest.json", manifest}}) << "does not match its checksum";
        QTest::newRow("no manifest") << test::buildArchive({voice}) << "has no manifest";
        QTest::newRow("a file not listed") << test::buildArchive({voice, {"data/extra", "x"}, {"manifest.json", manifest}})
                                           << "does not list";
        QTest::newRow("a listed file missing") << test::buildArchive({{"manifest.json", manifest}}) << "is missing";
        const RawEntry escape{"data/../../escaped", "x"};
        QTest::newRow("a path out of the folder") << test::buildArchive({escape, {"manifest.json", test::manifestFor({escape})}})
                                                  << "outside the data folder";
        const RawEntry absolute{"/tmp/echoforge-absolute", "x"};
        QTest::newRow("an absolute path") << test::buildArchive({absolute, {"manifest.json", test::manifestFor({absolute})}})
                                          << "outside the data folder";
        QTest::newRow("a symbolic link") << test::buildArchive({{"data/voices/link", {}, AE_IFLNK, "/etc/passwd"}, {"manifest.json", manifest}})
                                         << "other than a plain file";
        QTest::newRow("a newer format") << test::buildArchive({voice, {"manifest.json", test::manifestFor({voice}, 99)}})
                                        << "newer EchoForge";
        QTest::newRow("a manifest that is not JSON") << test::buildArchive({voice, {"manifest.json", "{not json"}}) << "not JSON";
        // Incompressible bytes, so that half of the gzip stream ends inside them (a small archive's
        // second half is only the tar's zero padding, and cutting that off loses nothing).
        QByteArray noise(256 * 1024, Qt::Uninitialized);
        QRandomGenerator(5).fillRange(reinterpret_cast<quint32*>(noise.data()), noise.size() / 4);
        const RawEntry big{"data/anchors/big.bin", noise};
        const QByteArray large = test::buildArchive({voice, big, {"manifest.json", test::manifestFor({voice, big})}});
        QTest::newRow("cut in half") << large.left(large.size() / 2) << "not a usable EchoForge backup";
        // A header that declares a petabyte: refused before a byte is written (a gzip bomb).
        QTest::newRow("a file larger than the disk") << test::tarDeclaring("data/anchors/huge.wav", quint64(1) << 50)
                                                     << "unpacks to more than the disk";
        QTest::newRow("not an archive") << QByteArray("PK\x03\x04 this is a zip, not a backup") << "not a usable EchoForge backup";
        QTest::newRow("empty") << QByteArray() << "not a usable EchoForge backup";
    }

    void damagedArchiveIsRefusedAndDataUntouched() {
        QFETCH(QByteArray, archive);
        QFETCH(QString, sentence);
        Home h;
        writeFile(h.data("voices/mine/character.json"), "mine");
        writeFile(h.data("history/history.sqlite"), "not really a database");
        writeFile(h.paths.settingsFile, "[general]\ntheme=dark\n");
        const auto before = snapshot(h.dir.path() + "/data");
        const auto settingsBefore = snapshot(h.paths.configDir);
        const QString file = h.dir.filePath("bad.tar.gz");
        writeFile(file, archive);
        try {
            restoreBackup(h.paths, file);
            QFAIL("the damaged archive was restored");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains(sentence), qPrintable(e.sentence()));
        }
        QCOMPARE(snapshot(h.dir.path() + "/data"), before);
        QCOMPARE(snapshot(h.paths.configDir), settingsBefore);
        QCOMPARE(QDir(h.paths.dataDir).entryList({".restore-*"}, QDir::AllEntries | QDir::Hidden), QStringList());
        QVERIFY(!QFileInfo::exists("/tmp/echoforge-absolute"));
        QVERIFY(!QFileInfo::exists(h.dir.filePath("escaped")));
        // The reader on bytes alone (what a fuzzer calls) refuses it the same way.
        QVERIFY_THROWS_EXCEPTION(Error, readBackupArchive(QByteArrayView(archive)));
    }

    // A studio or server holds the history's lock: a restore is refused and changes nothing; a
    // backup still works (the studio offers it while it runs).
    void restoreIsRefusedWhileATaskEngineHoldsTheFolder() {
        Home h;
        writeFile(h.data("voices/mine/character.json"), "mine");
        const QString archive = h.dir.filePath("backup.tar.gz");
        createBackup(h.paths, archive);
        writeFile(h.data("voices/mine/character.json"), "changed since");

        EngineSet engines;
        engines.makeFallback = test::sineFactory({}, std::make_shared<test::EngineLog>());
        TaskEngineConfig config;
        config.historyDir = h.paths.historyDir;
        auto studio = std::make_unique<TaskEngine>(std::move(engines), config);
        createBackup(h.paths, h.dir.filePath("while-running.tar.gz"));
        try {
            restoreBackup(h.paths, archive);
            QFAIL("a restore ran while a task engine held the data folder");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains("is using the data folder") &&
                         e.sentence().contains(QString::number(QCoreApplication::applicationPid())),
                     qPrintable(e.sentence()));
            QCOMPARE(e.kind(), ErrorKind::Busy);   // the CLI's "try again later"
        }
        QCOMPARE(snapshot(h.data("voices")).value("mine/character.json"), QByteArray("changed since"));

        studio.reset();   // the studio closes: now the restore goes ahead
        restoreBackup(h.paths, archive);
        QCOMPARE(snapshot(h.data("voices")).value("mine/character.json"), QByteArray("mine"));
    }

    void backupToAnUnwritablePlaceSaysSoAndLeavesNoFile() {
        Home h;
        writeFile(h.data("voices/mine/character.json"), "mine");
        const QString target = h.dir.filePath("no-such-folder/backup.tar.gz");
        QVERIFY_THROWS_EXCEPTION(Error, createBackup(h.paths, target));
        QVERIFY(!QFileInfo::exists(target));
    }

    // The disk fills while the archive is written: a 2 MB recording that does not compress makes
    // the archive larger than the room (a 512 KB file-size limit, or a real 1 MB tmpfs). The
    // backup says so with the take's sentence and kind Io, the earlier backup at that path stays
    // whole, no temporary is left beside it, the data is untouched, and with room it works.
    void fullDiskWhileWritingSaysSoAndKeepsTheOldArchive_data() {
        QTest::addColumn<bool>("tmpfs");
        QTest::newRow("file size limit") << false;
        QTest::newRow("full file system") << true;
    }
    void fullDiskWhileWritingSaysSoAndKeepsTheOldArchive() {
        QFETCH(bool, tmpfs);
        Home h;
        std::optional<test::SmallTmpfs> disk;
        if (tmpfs) {
            disk.emplace("1m");
            if (!disk->mounted())
                QSKIP("mounting a small tmpfs needs root and a system that allows it (a container may not)");
        }
        const QString folder = tmpfs ? disk->path() : h.dir.filePath("backups");
        QVERIFY(QDir().mkpath(folder));
        const QString target = QDir(folder).filePath("echoforge-backup.tar.gz");
        writeFile(h.data("voices/mine/character.json"), R"({"id":"mine"})");
        createBackup(h.paths, target);   // yesterday's backup, small
        QFile oldFile(target);
        QVERIFY(oldFile.open(QIODevice::ReadOnly));
        const QByteArray oldArchive = oldFile.readAll();
        oldFile.close();

        QByteArray recording(2 << 20, Qt::Uninitialized);
        QRandomGenerator(5).fillRange(reinterpret_cast<quint32*>(recording.data()), recording.size() / 4);
        writeFile(h.data("voices/mine/reference.wav"), recording);
        const auto before = snapshot(h.paths.dataDir);

        QString sentence;
        ErrorKind kind = ErrorKind::Internal;
        {
            std::optional<test::FileSizeLimit> limit;
            if (!tmpfs)
                limit.emplace(512 * 1024);
            try {
                createBackup(h.paths, target);
            } catch (const Error& e) {
                sentence = e.sentence();
                kind = e.kind();
            }
        }
        QCOMPARE(sentence, QStringLiteral("Cannot write the backup to %1 (%2); check that the disk has room.")
                               .arg(target, tmpfs ? "No space left on device" : "File too large"));
        QCOMPARE(kind, ErrorKind::Io);
        QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden), QStringList{"echoforge-backup.tar.gz"});
        QVERIFY(oldFile.open(QIODevice::ReadOnly));
        QCOMPARE(oldFile.readAll(), oldArchive);
        QCOMPARE(readBackupArchive(target).files.size(), 1);
        QCOMPARE(snapshot(h.paths.dataDir), before);

        const QString roomy = h.dir.filePath("roomy.tar.gz");
        QCOMPARE(createBackup(h.paths, roomy).files.size(), 2);
        QCOMPARE(readBackupArchive(roomy).files.size(), 2);
    }

    void randomBytesNeverCrashTheReader() {
        QRandomGenerator rng(17);
        const RawEntry voice{"data/voices/x/character.json", R"({"id":"x"})"};
        const QByteArray good = test::buildArchive({voice, {"manifest.json", test::manifestFor({voice})}});
        for (int i = 0; i < 300; ++i) {
            QByteArray bytes = good;
            for (int k = 0; k < 1 + i % 8; ++k) bytes[rng.bounded(int(bytes.size()))] = char(rng.bounded(256));
            try {
                readBackupArchive(QByteArrayView(bytes));
            } catch (const Error&) {
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
