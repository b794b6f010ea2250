// Import from folders the user already has: the Hugging Face cache (models--ORG--NAME with
// refs/main, snapshots/REV and links into blobs/), a plain folder of a repository's files, and
// EchoForge's own layout; by link or by copy; the model layout then finds every file.

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/common/model_layout.h"
#include "core/hub/model_store.h"

using namespace echoforge;

namespace {

bool write(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray read(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// huggingface_hub's cache for one repository: each snapshot file links to ../../blobs/ID.
void cacheRepo(const QDir& hub, const QString& repo, const QMap<QString, QByteArray>& files, const QString& commit = "abc123") {
    const QString root = hub.filePath("models--" + QString(repo).replace('/', "--"));
    QVERIFY(write(root + "/refs/main", commit.toLatin1()));
    QVERIFY(write(root + "/snapshots/old000/config.json", "stale"));   // an older snapshot is not used
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QString blob = root + "/blobs/" + QString::number(qHash(it.key()));
        QVERIFY(write(blob, it.value()));
        QDir().mkpath(root + "/snapshots/" + commit);
        QVERIFY(QFile::link("../../blobs/" + QFileInfo(blob).fileName(), root + "/snapshots/" + commit + "/" + it.key()));
    }
}

} // namespace

class TestModelImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void huggingFaceCache_data() {
        QTest::addColumn<bool>("copy");
        QTest::newRow("link") << false;
        QTest::newRow("copy") << true;
    }
    void huggingFaceCache() {
        QFETCH(bool, copy);
        QTemporaryDir cache, models;
        const QDir hub(cache.filePath("hub"));
        cacheRepo(hub, "sesame/csm-1b", {{"config.json", R"({"model_type": "csm"})"}, {"model.safetensors", "weights"}, {"README.md", "#"}});
        cacheRepo(hub, "kyutai/moshiko-pytorch-bf16", {{"tokenizer-e351c8d8-checkpoint125.safetensors", "mimi"}});
        cacheRepo(hub, "unsloth/Llama-3.2-1B", {{"tokenizer.json", "{}"}});

        ModelStore store(models.path());
        const ImportResult r = store.import(hub.path(), copy ? ImportMode::Copy : ImportMode::Link);
        QCOMPARE(r.placed.size(), 4);
        const ModelLayout layout = ModelLayout::inspect(models.path());
        QVERIFY2(layout.complete(), qPrintable(layout.missingSentence()));
        QCOMPARE(read(layout.csmConfig.path), QByteArray(R"({"model_type": "csm"})"));
        QCOMPARE(read(layout.csmWeights.path), QByteArray("weights"));
        QCOMPARE(read(layout.mimiWeights.path), QByteArray("mimi"));
        QCOMPARE(read(layout.tokenizer.path), QByteArray("{}"));
        // A link points at the blob itself (the snapshot's link is relative to its own folder).
        QCOMPARE(QFileInfo(layout.csmWeights.path).isSymLink(), !copy);
        QVERIFY(QDir(models.filePath("csm")).entryList(QDir::Files | QDir::System).filter(".part").isEmpty());
        QVERIFY(!QFile::exists(models.filePath("csm/README.md")));
    }

    // One repository's folder in the cache, and a snapshot folder itself, are both accepted.
    void oneRepositoryOrSnapshot() {
        QTemporaryDir cache, models;
        cacheRepo(QDir(cache.path()), "kyutai/moshiko-pytorch-bf16", {{"tokenizer-e351c8d8-checkpoint125.safetensors", "mimi"}});
        const QString repo = cache.filePath("models--kyutai--moshiko-pytorch-bf16");
        QCOMPARE(ModelStore(models.path()).import(repo, ImportMode::Link).placed.size(), 1);
        QTemporaryDir models2;
        QCOMPARE(ModelStore(models2.path()).import(repo + "/snapshots/abc123", ImportMode::Copy).placed.size(), 1);
        QCOMPARE(read(models2.filePath("mimi/tokenizer-e351c8d8-checkpoint125.safetensors")), QByteArray("mimi"));
    }

    // A fine-tune folder with shards: the index and shards go to csm/, the older weights leave.
    void shardedFineTuneFolder() {
        QTemporaryDir source, models;
        QVERIFY(write(source.filePath("config.json"), R"({"model_type": "csm"})"));
        QVERIFY(write(source.filePath("model.safetensors.index.json"), R"({"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}})"));
        QVERIFY(write(source.filePath("model-00001-of-00002.safetensors"), "1"));
        QVERIFY(write(source.filePath("model-00002-of-00002.safetensors"), "2"));
        QVERIFY(write(models.filePath("csm/model.safetensors"), "old"));
        const ImportResult r = ModelStore(models.path()).import(source.path(), ImportMode::Copy);
        QCOMPARE(r.placed.size(), 4);
        QVERIFY(!QFile::exists(models.filePath("csm/model.safetensors")));
        QCOMPARE(ModelLayout::inspect(models.path()).csmWeights.path, models.filePath("csm/model.safetensors.index.json"));
    }

    void ownLayout() {
        QTemporaryDir source, models;
        QVERIFY(write(source.filePath("csm/config.json"), R"({"backbone_flavor": "llama-1B"})"));
        QVERIFY(write(source.filePath("csm/model.safetensors"), "w"));
        QVERIFY(write(source.filePath("mimi/model.safetensors"), "m"));
        QVERIFY(write(source.filePath("tokenizer/tokenizer.json"), "t"));
        QCOMPARE(ModelStore(models.path()).import(source.path(), ImportMode::Link).placed.size(), 4);
        QVERIFY(ModelLayout::inspect(models.path()).complete());
    }

    void nothingUsable() {
        QTemporaryDir source, models;
        QVERIFY(write(source.filePath("config.json"), R"({"model_type": "llama"})"));
        try {
            ModelStore(models.path()).import(source.path(), ImportMode::Link);
            QFAIL("a folder without a model must be refused");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains(source.path()), qPrintable(e.sentence()));
        }
        QVERIFY_THROWS_EXCEPTION(Error, ModelStore(models.path()).import(source.filePath("nope"), ImportMode::Link));
    }
};

QTEST_GUILESS_MAIN(TestModelImport)
#include "tst_model_import.moc"
