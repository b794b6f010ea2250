// Verified, resumable downloads from a hub on loopback (fake_hub.h): the token stays with the
// hub's host, a cut or a restart resumes with Range, 401/403/404 and a wrong checksum give their
// sentences, a full disk stops cleanly, cancel keeps the part. After each, the model folder
// holds only complete files whose bytes are the hub's.

#include <QDir>
#include <QDirIterator>
#include <QNetworkAccessManager>
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/model_layout.h"
#include "core/hub/file_download.h"
#include "core/hub/model_installer.h"
#include "core/hub/model_manager.h"
#include "core/hub/model_store.h"
#include "fake_hub.h"
#include "tests/tasks/full_disk.h"

using namespace echoforge;
using echoforge::test::FileSizeLimit;

namespace {

const QString kRepo = QStringLiteral("kyutai/moshiko-pytorch-bf16");
const QString kBig = QStringLiteral("tokenizer-e351c8d8-checkpoint125.safetensors");

QByteArray pattern(int bytes) {
    QByteArray b(bytes, '\0');
    for (int i = 0; i < bytes; ++i)
        b[i] = char((i * 131 + i / 977) & 0xff);
    return b;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Outcome {
    QString error, sha;
    QList<DownloadProgress> progress;
};

} // namespace

class TestModelDownloads : public QObject {
    Q_OBJECT

    FakeHub* hub_ = nullptr;
    QNetworkAccessManager network_;
    QTemporaryDir models_;
    const QByteArray big_ = pattern(3 << 20);
    const QByteArray config_ = QByteArray(R"({"backbone_flavor": "llama-1B"})");

    HubEndpoint endpoint(const QString& token = QStringLiteral("good")) const { return {QUrl(hub_->endpoint()), token}; }
    QString dest(const QString& name = kBig) const { return models_.filePath("mimi/" + name); }

    Outcome run(FileDownload& d, const std::function<void(FileDownload&, const DownloadProgress&)>& onProgress = {}) {
        Outcome o;
        connect(&d, &FileDownload::progress, this, [&](const DownloadProgress& p) {
            o.progress.append(p);
            if (onProgress)
                onProgress(d, p);
        });
        QSignalSpy finished(&d, &FileDownload::finished);
        d.start();
        if (finished.isEmpty())
            finished.wait(20'000);
        if (!finished.isEmpty()) {
            o.error = finished.at(0).at(0).toString();
            o.sha = finished.at(0).at(1).toString();
        } else {
            o.error = QStringLiteral("(no finished signal)");
        }
        return o;
    }

    Outcome download(const QString& name = kBig, const QString& repo = kRepo, const QString& token = QStringLiteral("good"),
                     const std::function<void(FileDownload&)>& setUp = {}) {
        FileDownload d(&network_, endpoint(token), {repo, "main", name, dest(name), {}, -1});
        if (setUp)
            setUp(d);
        return run(d);
    }

    // Every file of the model folder, but parts and the checksum record, is complete: the hub's
    // bytes exactly.
    void expectOnlyCompleteFiles() {
        QDirIterator it(models_.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.endsWith(".part") || path.endsWith(".checksums.json"))
                continue;
            const QString name = QFileInfo(path).fileName();
            const QByteArray expected = name == kBig ? big_ : name == QLatin1String("config.json") ? config_ : readFile(path);
            QVERIFY2(readFile(path) == expected, qPrintable(path + " is not the hub's file"));
        }
    }

private Q_SLOTS:
    void initTestCase() {
        hub_ = new FakeHub;
        if (!hub_->listening())
            QSKIP("cannot listen on 127.0.0.1 and 127.0.0.2");
        hub_->addFile(kRepo, kBig, {big_, true});
        hub_->addFile(kRepo, "config.json", {config_, false});
        hub_->addFile("sesame/csm-1b", "config.json", {config_, false});
        hub_->setGated("sesame/csm-1b", "good");
    }
    void cleanupTestCase() { delete hub_; }

    void init() {
        hub_->requests.clear();
        hub_->cutNextAfter = -1;
        hub_->chunkBytes = 0;
        hub_->chunkDelayMs = 0;
        hub_->corrupt = false;
        hub_->ignoreRange = false;
        QDir(models_.path()).removeRecursively();
        QDir().mkpath(models_.path());
    }
    void cleanup() { expectOnlyCompleteFiles(); }

    // An LFS file: redirected to the CDN on 127.0.0.2, verified against X-Linked-Etag. The
    // token went to the hub and not to the other host.
    void lfsFileThroughCdn() {
        const Outcome o = download();
        QCOMPARE(o.error, QString());
        QCOMPARE(o.sha.toLatin1(), FakeHub::sha256Hex(big_));
        QCOMPARE(readFile(dest()), big_);
        QVERIFY(!QFile::exists(dest() + ".part"));
        QCOMPARE(hub_->requests.size(), 2);
        QCOMPARE(hub_->requests[0].host, QStringLiteral("127.0.0.1"));
        QCOMPARE(hub_->requests[0].path, "/" + kRepo + "/resolve/main/" + kBig);
        QCOMPARE(hub_->requests[0].authorization, QByteArray("Bearer good"));
        QCOMPARE(hub_->requests[1].host, QStringLiteral("127.0.0.2"));
        QVERIFY2(hub_->requests[1].authorization.isEmpty(), "the token followed the redirect to another host");
        QVERIFY(!o.progress.isEmpty());
        QCOMPARE(o.progress.last().bytes, qint64(big_.size()));
        QCOMPARE(o.progress.last().total, qint64(big_.size()));
    }

    // A small file kept in git: checked against its blob id (the ETag).
    void gitFileByBlobId() {
        const Outcome o = download("config.json");
        QCOMPARE(o.error, QString());
        QCOMPARE(readFile(dest("config.json")), config_);
    }

    void cutConnectionResumes() {
        hub_->cutNextAfter = big_.size() * 2 / 5;
        const Outcome first = download();
        QVERIFY2(first.error.contains("stopped") && first.error.contains("resumes"), qPrintable(first.error));
        QVERIFY(!QFile::exists(dest()));
        QCOMPARE(QFileInfo(dest() + ".part").size(), qint64(big_.size() * 2 / 5));

        hub_->requests.clear();
        const Outcome second = download();
        QCOMPARE(second.error, QString());
        QCOMPARE(readFile(dest()), big_);
        QCOMPARE(hub_->requests.last().range, "bytes=" + QByteArray::number(big_.size() * 2 / 5) + "-");
        QVERIFY(!QFile::exists(dest() + ".part"));
    }

    // After a restart only the part is left: the next run resumes from it.
    void restartResumesFromPart() {
        QDir().mkpath(QFileInfo(dest()).absolutePath());
        QFile part(dest() + ".part");
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(big_.left(1000));
        part.close();
        const Outcome o = download();
        QCOMPARE(o.error, QString());
        QCOMPARE(hub_->requests.last().range, QByteArray("bytes=1000-"));
        QCOMPARE(readFile(dest()), big_);
    }

    // A server that ignores Range sends everything again: the part starts over, still verified.
    void serverIgnoringRange() {
        hub_->ignoreRange = true;
        QDir().mkpath(QFileInfo(dest()).absolutePath());
        QFile part(dest() + ".part");
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(big_.left(5000));
        part.close();
        QCOMPARE(download().error, QString());
        QCOMPARE(readFile(dest()), big_);
    }

    void hubRefusals_data() {
        QTest::addColumn<QString>("repo");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("says");
        QTest::newRow("401 no token") << "sesame/csm-1b" << "config.json" << "" << "HF_TOKEN";
        QTest::newRow("403 not granted") << "sesame/csm-1b" << "config.json" << "other" << "accept the licence";
        QTest::newRow("404") << kRepo << "missing.safetensors" << "good" << "404";
    }
    void hubRefusals() {
        QFETCH(QString, repo);
        QFETCH(QString, file);
        QFETCH(QString, token);
        QFETCH(QString, says);
        const Outcome o = download(file, repo, token);
        QVERIFY2(o.error.contains(says), qPrintable(o.error));
        QVERIFY(!QFile::exists(dest(file)));
        QCOMPARE(QDir(models_.filePath("mimi")).entryList(QDir::Files).size(), 0);
    }

    void wrongChecksumRemovesPart() {
        hub_->corrupt = true;
        const Outcome o = download();
        QVERIFY2(o.error.contains("damaged") && o.error.contains(QString::fromLatin1(FakeHub::sha256Hex(big_))), qPrintable(o.error));
        QVERIFY(!QFile::exists(dest()));
        QVERIFY(!QFile::exists(dest() + ".part"));
    }

    // A catalogue checksum wins over the hub's: a mismatch there is a damaged file too.
    void catalogueChecksumIsChecked() {
        FileDownload d(&network_, endpoint(), {kRepo, "main", kBig, dest(), QString(64, 'a'), -1});
        const Outcome o = run(d);
        QVERIFY2(o.error.contains("damaged"), qPrintable(o.error));
        QVERIFY(!QFile::exists(dest()));
    }

    void diskTooSmallBeforeStart() {
        const Outcome o = download(kBig, kRepo, "good", [](FileDownload& d) { d.freeSpace = [](const QString&) { return std::int64_t(1000); }; });
        QVERIFY2(o.error.contains("Not enough free space"), qPrintable(o.error));
        QVERIFY(!QFile::exists(dest()));
        QVERIFY(QFileInfo(dest() + ".part").size() == 0);
    }

    // The disk fills up while writing, after the free-space check passed (a file size limit makes
    // write() fail part way, as ENOSPC would): stopped with a sentence, the part written so far
    // kept; with space again the download resumes.
    void diskFillsUp() {
        Outcome o;
        {
            FileSizeLimit limit(1 << 20);   // a third of the file
            o = download();
        }
        QVERIFY2(o.error.contains("disk may be full"), qPrintable(o.error));
        QVERIFY(!QFile::exists(dest()));
        const qint64 part = QFileInfo(dest() + ".part").size();
        QVERIFY2(part > 0 && part <= (1 << 20), qPrintable(QString::number(part)));   // it stopped mid-write
        QCOMPARE(download().error, QString());
        QCOMPARE(readFile(dest()), big_);
    }

    void slowConnectionReportsProgress() {
        hub_->chunkBytes = big_.size() / 8;
        hub_->chunkDelayMs = 150;
        const Outcome o = download();
        QCOMPARE(o.error, QString());
        QVERIFY(o.progress.size() >= 4);
        for (int i = 1; i < o.progress.size(); ++i)
            QVERIFY(o.progress[i].bytes >= o.progress[i - 1].bytes);
        QVERIFY(std::any_of(o.progress.begin(), o.progress.end(), [](const DownloadProgress& p) { return p.bytesPerSecond > 0 && p.secondsLeft >= 0; }));
        QCOMPARE(readFile(dest()), big_);
    }

    void cancelKeepsPart() {
        hub_->chunkBytes = big_.size() / 16;
        hub_->chunkDelayMs = 100;
        FileDownload d(&network_, endpoint(), {kRepo, "main", kBig, dest(), {}, -1});
        const Outcome o = run(d, [](FileDownload& download, const DownloadProgress&) { download.cancel(); });
        QVERIFY2(o.error.contains("cancelled"), qPrintable(o.error));
        QVERIFY(!QFile::exists(dest()));
        QVERIFY(QFileInfo(dest() + ".part").size() > 0);
    }

    void progressText() {
        QCOMPARE(echoforge::progressText({1'400'000'000, 6'200'000'000, 12'500'000, 384}), QStringLiteral("1.40 GB of 6.20 GB, 12.5 MB/s, 7 min left"));
        QCOMPARE(echoforge::progressText({500, -1, 0, -1}), QStringLiteral("500 bytes"));
    }

    void hubEndpoint() {
        qputenv("HF_ENDPOINT", "http://127.0.0.1:9/mirror/");
        qputenv("HF_TOKEN", "from-env");
        const HubEndpoint fromEnv = HubEndpoint::fromEnvironment({});
        QCOMPARE(fromEnv.token, QStringLiteral("from-env"));
        QCOMPARE(HubEndpoint::fromEnvironment("from-settings").token, QStringLiteral("from-settings"));
        QCOMPARE(fromEnv.fileUrl("sesame/csm-1b", "main", "model.safetensors").toString(),
                 QStringLiteral("http://127.0.0.1:9/mirror/sesame/csm-1b/resolve/main/model.safetensors"));
        QVERIFY(fromEnv.mayReceiveToken(QUrl("http://127.0.0.1:9/x")));
        QVERIFY(!fromEnv.mayReceiveToken(QUrl("http://127.0.0.2:9/x")));
        QVERIFY(!fromEnv.mayReceiveToken(QUrl("http://127.0.0.1:10/x")));
        qunsetenv("HF_ENDPOINT");
        qunsetenv("HF_TOKEN");
        QCOMPARE(HubEndpoint::fromEnvironment({}).base, QUrl("https://huggingface.co"));
        QVERIFY(isValidRepoName("sesame/csm-1b"));
        QVERIFY(!isValidRepoName("../etc"));
        QVERIFY(!isValidRepoName("a/b/c"));
    }

    // A fine-tune by repository name: listed by the hub, shards and index fetched, recorded as
    // verified, found by the model layout; then verified again and removed.
    void fineTuneInstallVerifyRemove() {
        const QString repo = QStringLiteral("someone/csm-finetune");
        const QByteArray index = R"({"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}})";
        hub_->addFile(repo, "config.json", {R"({"model_type": "csm"})", false});
        hub_->addFile(repo, "model.safetensors.index.json", {index, false});
        hub_->addFile(repo, "model-00001-of-00002.safetensors", {pattern(70000), true});
        hub_->addFile(repo, "model-00002-of-00002.safetensors", {pattern(50000), true});
        hub_->addFile(repo, "README.md", {"# a fine-tune", false});
        ModelStore store(models_.path());
        QDir().mkpath(models_.filePath("csm"));
        QFile old(models_.filePath("csm/model.safetensors"));   // the earlier weights give way
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.close();

        ModelInstaller installer(&network_, endpoint(), &store);
        QSignalSpy finished(&installer, &ModelInstaller::finished);
        QSignalSpy progress(&installer, &ModelInstaller::progress);
        installer.install(fineTuneEntry(repo));
        QVERIFY(finished.wait(20'000));
        QCOMPARE(finished.at(0).at(0).toString(), QString());
        QVERIFY(!progress.isEmpty());
        QVERIFY(!QFile::exists(models_.filePath("csm/model.safetensors")));
        QVERIFY(!QFile::exists(models_.filePath("csm/README.md")));
        QCOMPARE(readFile(models_.filePath("csm/model-00002-of-00002.safetensors")), pattern(50000));
        QCOMPARE(ModelLayout::inspect(models_.path()).csmWeights.path, models_.filePath("csm/model.safetensors.index.json"));
        const auto files = store.files(fineTuneEntry(repo));
        QCOMPARE(files.size(), 4);
        for (const auto& f : files)
            QVERIFY2(f.state == FileState::Verified, qPrintable(f.name + ": " + fileStateName(f.state)));
        QCOMPARE(store.checksumState(models_.filePath("csm/config.json")), QStringLiteral("verified"));

        // A changed file is caught by verify.
        QFile shard(models_.filePath("csm/model-00001-of-00002.safetensors"));
        QVERIFY(shard.open(QIODevice::ReadWrite));
        shard.seek(10);
        shard.write("x");
        shard.close();
        QCOMPARE(store.checksumState(shard.fileName()), QStringLiteral("changed since verified"));
        bool damaged = false;
        for (const auto& f : store.verify(fineTuneEntry(repo)))
            damaged |= f.name == QLatin1String("model-00001-of-00002.safetensors") && f.state == FileState::Damaged;
        QVERIFY(damaged);

        QCOMPARE(store.remove(fineTuneEntry(repo)).size(), 4);
        QCOMPARE(QDir(models_.filePath("csm")).entryList(QDir::Files).size(), 0);
    }

    void gatedInstallWithoutTokenSaysWhatToDo() {
        ModelStore store(models_.path());
        ModelInstaller installer(&network_, endpoint({}), &store);
        QSignalSpy finished(&installer, &ModelInstaller::finished);
        installer.install(findModel(builtInCatalogue(), "csm-1b"));
        QVERIFY(finished.wait(20'000));
        QVERIFY2(finished.at(0).at(0).toString().contains("gated"), qPrintable(finished.at(0).at(0).toString()));
        QVERIFY(!store.installed(findModel(builtInCatalogue(), "csm-1b")));
    }

    // The studio's model manager: a table model over the catalogue that gets a model through
    // HF_ENDPOINT and says when the folder changed (the window then reloads CSM).
    void studioModelManager() {
        ModelManager manager(models_.path(), "good");
        QAbstractItemModelTester tester(&manager, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(manager.rowCount(), 3);
        int mimi = -1;
        for (int row = 0; row < manager.rowCount(); ++row)
            if (manager.entry(row).id == QLatin1String("mimi"))
                mimi = row;
        QVERIFY(mimi >= 0);
        QCOMPARE(manager.data(manager.index(mimi, ModelManager::State)).toString(), QStringLiteral("not installed"));
        qputenv("HF_ENDPOINT", hub_->endpoint().toUtf8());
        QSignalSpy finished(&manager, &ModelManager::finished);
        manager.get(mimi);
        QVERIFY(manager.busy());
        QVERIFY(finished.wait(20'000));
        qunsetenv("HF_ENDPOINT");
        QCOMPARE(finished.at(0).at(0).toString(), QString());
        QVERIFY(finished.at(0).at(1).toBool());
        QCOMPARE(manager.data(manager.index(mimi, ModelManager::State)).toString(), QStringLiteral("installed, verified"));
        QCOMPARE(ModelLayout::inspect(models_.path()).mimiWeights.path, dest());
        QCOMPARE(manager.addFineTune("someone/other"), 3);
        QCOMPARE(manager.rowCount(), 4);
        QVERIFY_THROWS_EXCEPTION(std::exception, manager.addFineTune("not a repo"));
    }

    void catalogue() {
        const auto all = builtInCatalogue();
        QCOMPARE(findModel(all, "csm-1b").repo, QStringLiteral("sesame/csm-1b"));
        QVERIFY(findModel(all, "csm-1b").gated);
        QCOMPARE(findModel(all, "mimi").files.first().name, kBig);
        QCOMPARE(findModel(all, "tokenizer").files.first().name, QStringLiteral("tokenizer.json"));
        for (const auto& m : all)
            QVERIFY2(!m.licence.isEmpty(), qPrintable(m.id));
        QVERIFY(findModel(all, "someone/finetune").fineTune);
        QVERIFY_THROWS_EXCEPTION(std::exception, findModel(all, "nonsense"));
    }
};

QTEST_GUILESS_MAIN(TestModelDownloads)
#include "tst_model_downloads.moc"
