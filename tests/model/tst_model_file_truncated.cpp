// A model file truncated, removed or rewritten while its weights are loaded (issue 18, faults).
// Weights were memory-mapped: truncating the file under the mapping made the next read of a lost
// page raise SIGBUS and killed the studio or the server. SafetensorsFile now reads the file into
// memory of its own, so the loaded weights stay whole whatever happens to the file (this test
// reads every byte after the truncation: under a mapping it dies right there), and the next load
// of the damaged file gives the user a sentence naming it, which is what turns the task engine to
// eSpeak NG (its CSM load error). Torch-free, so it runs everywhere.

#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/model/safetensors.h"
#include "core/model/safetensors_writer.h"

using namespace echoforge;

namespace {

// Two F32 tensors of 1 MiB each, every byte a function of its position, so a lost or changed
// page shows in the sum.
QString writeModel(const QTemporaryDir& dir) {
    const auto pattern = [](int seed) {
        QByteArray bytes(1 << 20, Qt::Uninitialized);
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char((i * 131 + seed) % 251);
        return bytes;
    };
    const QString path = dir.filePath(QStringLiteral("model.safetensors"));
    writeSafetensors(path, {{"a.weight", TensorDType::F32, {512, 512}, pattern(1)},
                            {"b.weight", TensorDType::F32, {256, 1024}, pattern(7)}});
    return path;
}

// Reads every byte of every tensor.
quint64 checksum(const SafetensorsFile& file) {
    quint64 sum = 0;
    for (const TensorEntry& entry : file.entries()) {
        const std::byte* data = file.data(entry);
        for (std::size_t i = 0; i < entry.bytes; ++i)
            sum = sum * 31 + std::to_integer<unsigned>(data[i]);
    }
    return sum;
}

// The sentence a fresh load of `path` gives, or an empty string when the load succeeds.
QString sentenceOfLoading(const QString& path) {
    try {
        SafetensorsFile::open(path);
    } catch (const Error& e) {
        return e.sentence();
    }
    return {};
}

} // namespace

class TstModelFileTruncated : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void truncatedWhileLoaded() {
        QTemporaryDir dir;
        const QString path = writeModel(dir);
        const auto loaded = SafetensorsFile::open(path);
        const quint64 before = checksum(*loaded);

        // Keeps the header and one page of data, as a disk-full download or a `truncate` leaves it.
        QVERIFY(QFile::resize(path, 8192));
        QCOMPARE(checksum(*loaded), before);   // every byte still there: no SIGBUS, nothing changed

        const QString sentence = sentenceOfLoading(path);
        QVERIFY2(sentence.contains(path) && sentence.contains(QLatin1String("truncated")), qPrintable(sentence));
        QVERIFY(QFile::resize(path, 0));
        QVERIFY2(sentenceOfLoading(path).contains(path), qPrintable(sentenceOfLoading(path)));
    }

    void removedWhileLoaded() {
        QTemporaryDir dir;
        const QString path = writeModel(dir);
        const auto loaded = SafetensorsFile::open(path);
        const quint64 before = checksum(*loaded);
        QVERIFY(QFile::remove(path));
        QCOMPARE(checksum(*loaded), before);
        try {
            SafetensorsFile::open(path);
            QFAIL("a removed model file loaded");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Io);
            QVERIFY2(e.sentence().contains(path), qPrintable(e.sentence()));
        }
    }

    // Rewritten in place (a download resumed over it): a private mapping shows the new bytes in
    // every page not yet read, so the weights would change under the model without a word.
    void rewrittenWhileLoaded() {
        QTemporaryDir dir;
        const QString path = writeModel(dir);
        const auto loaded = SafetensorsFile::open(path);
        const quint64 before = checksum(*loaded);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(4096));
        QCOMPARE(file.write(QByteArray(int(file.size() - 4096), '\0')), file.size() - 4096);
        file.close();
        QCOMPARE(checksum(*loaded), before);
    }

    // What diagnostics use: the tensor table without the data, checked against the file's size.
    void headerOnly() {
        QTemporaryDir dir;
        const QString path = writeModel(dir);
        const auto table = SafetensorsFile::open(path, SafetensorsFile::Read::HeaderOnly);
        const auto whole = SafetensorsFile::open(path);
        QCOMPARE(table->entries().size(), std::size_t(2));
        QCOMPARE(table->entries()[1].offset, whole->entries()[1].offset);
        QCOMPARE(table->data(table->entries()[0]), nullptr);
        QVERIFY(QFile::resize(path, 8192));
        QVERIFY_THROWS_EXCEPTION(Error, SafetensorsFile::open(path, SafetensorsFile::Read::HeaderOnly));
    }
};

QTEST_GUILESS_MAIN(TstModelFileTruncated)
#include "tst_model_file_truncated.moc"
