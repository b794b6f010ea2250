// The safetensors parser against valid files and more than 10,000 corrupted ones: every defect
// must become an echoforge::Error that names the file, never a crash or another exception type.
// Built twice: as a unit test, and with AddressSanitizer/UBSan (tst_safetensors_fuzz_asan).

#include <cstring>
#include <random>

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/model/safetensors.h"

using namespace echoforge;
using nlohmann::json;

namespace {

const QString kName = QStringLiteral("fuzz.safetensors");

QByteArray withHeader(const std::string& header, const QByteArray& data) {
    QByteArray out(8, '\0');
    const std::uint64_t n = header.size();
    for (int i = 0; i < 8; ++i)
        out[i] = char((n >> (8 * i)) & 0xff);
    return out + QByteArray::fromStdString(header) + data;
}

// A small valid file: several dtypes, an empty tensor, metadata.
json validHeader() {
    json h;
    h["__metadata__"] = {{"format", "pt"}, {"source", "fuzz"}};
    h["a.weight"] = {{"dtype", "F32"}, {"shape", {2, 3}}, {"data_offsets", {0, 24}}};
    h["b.scale"] = {{"dtype", "BF16"}, {"shape", {4}}, {"data_offsets", {24, 32}}};
    h["c.ids"] = {{"dtype", "I64"}, {"shape", {2}}, {"data_offsets", {32, 48}}};
    h["d.mask"] = {{"dtype", "BOOL"}, {"shape", {3}}, {"data_offsets", {48, 51}}};
    h["e.empty"] = {{"dtype", "F16"}, {"shape", {0, 5}}, {"data_offsets", {51, 51}}};
    return h;
}

QByteArray validData() {
    QByteArray data(51, '\0');
    for (int i = 0; i < data.size(); ++i)
        data[i] = char(i * 7 + 1);
    return data;
}

QByteArray validFile() { return withHeader(validHeader().dump(), validData()); }

// Opens bytes; returns 1 for an Error (and checks it names the file), 0 for a file accepted.
// An accepted file must describe only bytes inside it: they are all read, which the sanitizer
// build checks.
int parseOutcome(const QByteArray& bytes) {
    try {
        const auto file = SafetensorsFile::fromBytes(bytes, kName);
        unsigned sum = 0;
        for (const auto& e : file->entries()) {
            if (e.offset + e.bytes > std::size_t(bytes.size()))
                throw std::logic_error("accepted entry " + e.name + " reaches beyond the file");
            const std::byte* p = file->data(e);
            for (std::size_t i = 0; i < e.bytes; ++i)
                sum += std::to_integer<unsigned>(p[i]);
            if (std::size_t(e.numel()) * dtypeSize(e.dtype) != e.bytes)
                throw std::logic_error("accepted entry " + e.name + " has inconsistent size");
        }
        (void)sum;
        return 0;
    } catch (const Error& e) {
        if (!e.sentence().contains(kName))
            throw std::logic_error("error does not name the file: " + std::string(e.what()));
        return 1;
    }
}

} // namespace

class TestSafetensorsFuzz : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validFileParses() {
        const auto f = SafetensorsFile::fromBytes(validFile(), kName);
        QCOMPARE(f->entries().size(), std::size_t(5));
        const TensorEntry* a = f->find("a.weight");
        QVERIFY(a);
        QCOMPARE(a->dtype, TensorDType::F32);
        QCOMPARE(a->shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(a->bytes, std::size_t(24));
        const std::size_t headerLen = validHeader().dump().size();
        QCOMPARE(a->offset, 8 + headerLen);
        QCOMPARE(std::to_integer<int>(f->data(*a)[0]), 1);
        QCOMPARE(f->find("d.mask")->dtype, TensorDType::Bool);
        QCOMPARE(f->find("e.empty")->bytes, std::size_t(0));
        QVERIFY(!f->find("missing"));
        QCOMPARE(f->metadata().at("source"), std::string("fuzz"));
        QCOMPARE(f->path(), kName);
    }

    void goldenFilesOpen() {
        const auto f = SafetensorsFile::open(QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A/csm_model.safetensors"));
        QCOMPARE(f->entries().size(), std::size_t(43));
        QVERIFY(f->find("audio_head"));
        QCOMPARE(f->find("audio_head")->shape, (std::vector<int64_t>{7, 32, 67}));
    }

    void specificDefects_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        auto mutate = [](auto change) {
            json h = validHeader();
            change(h);
            return withHeader(h.dump(), validData());
        };
        QTest::newRow("empty") << QByteArray() << "fewer than the 8-byte";
        QTest::newRow("length beyond file") << validFile().left(20) << "header length";
        QTest::newRow("not json") << withHeader("{\"a\": [1,", validData()) << "not valid JSON";
        QTest::newRow("not object") << withHeader("[1, 2]", validData()) << "not a JSON object";
        QTest::newRow("unknown dtype") << mutate([](json& h) { h["a.weight"]["dtype"] = "F8_E4M3"; }) << "\"a.weight\" has the unsupported dtype";
        QTest::newRow("wrong dtype size") << mutate([](json& h) { h["a.weight"]["dtype"] = "F64"; }) << "\"a.weight\" spans 24 bytes";
        QTest::newRow("negative dim") << mutate([](json& h) { h["c.ids"]["shape"] = {-2}; }) << "\"c.ids\" has a shape entry";
        QTest::newRow("huge shape") << mutate([](json& h) { h["a.weight"]["shape"] = {1ll << 40, 1ll << 40}; }) << "too large";
        QTest::newRow("float dim") << mutate([](json& h) { h["a.weight"]["shape"] = {2.5, 3}; }) << "not a non-negative integer";
        QTest::newRow("overlap") << mutate([](json& h) { h["b.scale"]["data_offsets"] = {20, 28}; }) << "overlaps";
        QTest::newRow("reversed offsets") << mutate([](json& h) { h["c.ids"]["data_offsets"] = {48, 32}; }) << "end before they begin";
        QTest::newRow("out of bounds") << mutate([](json& h) { h["d.mask"]["data_offsets"] = {48, 52}; h["d.mask"]["shape"] = {4}; }) << "beyond the 51 bytes";
        QTest::newRow("missing field") << mutate([](json& h) { h["a.weight"].erase("shape"); }) << "lacks one of";
        QTest::newRow("metadata not strings") << mutate([](json& h) { h["__metadata__"]["n"] = 3; }) << "metadata \"n\"";
        QTest::newRow("tensor not object") << mutate([](json& h) { h["a.weight"] = 5; }) << "\"a.weight\" is not described";
    }

    void specificDefects() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        try {
            SafetensorsFile::fromBytes(bytes, kName);
            QFAIL("a defective file was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains(expected), qPrintable(e.sentence()));
            QVERIFY2(e.sentence().contains(kName), qPrintable(e.sentence()));
        }
    }

    void missingAndTruncatedFilesOnDisk() {
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(Error, SafetensorsFile::open(dir.filePath("absent.safetensors")));
        const QByteArray full = validFile();
        for (int cut : {0, 3, 8, 40, int(full.size()) - 1}) {
            QFile f(dir.filePath("cut.safetensors"));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(full.left(cut));
            f.close();
            QVERIFY_THROWS_EXCEPTION(Error, SafetensorsFile::open(f.fileName()));
        }
        QFile f(dir.filePath("ok.safetensors"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(full);
        f.close();
        QCOMPARE(SafetensorsFile::open(f.fileName())->entries().size(), std::size_t(5));
    }

    // 12,000 mutants of the valid file. Mutations that must break it are required to be refused;
    // random byte flips may leave a valid file, which must then be consistent.
    void mutants() {
        std::mt19937_64 rng(20261125);
        const QByteArray base = validFile();
        const std::size_t headerLen = validHeader().dump().size();
        auto uniform = [&](std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng); };
        int refused = 0, total = 0;
        for (int round = 0; round < 2000; ++round) {
            // 1. random byte flips anywhere in the length or header
            QByteArray flipped = base;
            const int flips = 1 + int(uniform(4));
            for (int i = 0; i < flips; ++i)
                flipped[int(uniform(8 + headerLen))] = char(uniform(256));
            refused += parseOutcome(flipped);

            // 2. truncation inside the header or data: always refused (the last tensor ends at the end)
            const QByteArray cut = base.left(int(uniform(base.size())));
            QVERIFY2(parseOutcome(cut) == 1, "a truncated file was accepted");
            refused += 1;

            // 3. a bogus header length
            QByteArray bogus = base;
            std::uint64_t len = round % 2 ? uniform(UINT64_MAX) : uniform(base.size() + 64);
            for (int i = 0; i < 8; ++i)
                bogus[i] = char((len >> (8 * i)) & 0xff);
            refused += parseOutcome(bogus);

            // 4. overlapping or out-of-range offsets
            json h = validHeader();
            const char* names[] = {"a.weight", "b.scale", "c.ids", "d.mask"};
            const std::string victim = names[uniform(4)];
            const std::uint64_t span = h[victim]["data_offsets"][1].get<std::uint64_t>() - h[victim]["data_offsets"][0].get<std::uint64_t>();
            std::uint64_t start = uniform(80);
            if (start == h[victim]["data_offsets"][0].get<std::uint64_t>())
                start += 1;
            h[victim]["data_offsets"] = {start, start + span};
            QVERIFY2(parseOutcome(withHeader(h.dump(), validData())) == 1, "moved offsets were accepted");
            refused += 1;

            // 5. a wrong dtype, 6. a huge or wrong shape
            json d = validHeader();
            const char* dtypes[] = {"F64", "I8", "U16", "f32", "", "Q4_0", "BF16"};
            d[names[uniform(4)]]["dtype"] = dtypes[uniform(7)];
            refused += parseOutcome(withHeader(d.dump(), validData()));
            json s = validHeader();
            s[names[uniform(4)]]["shape"] = {std::uint64_t(1) << uniform(64), uniform(UINT64_MAX), 3};
            QVERIFY2(parseOutcome(withHeader(s.dump(), validData())) == 1, "a huge shape was accepted");
            refused += 1;
            total += 6;
        }
        QVERIFY(total >= 12000);
        // Nearly all flips break the JSON or a field; what slipped through was checked above.
        QVERIFY2(refused > total * 3 / 4, qPrintable(QString::number(refused)));
    }
};

QTEST_GUILESS_MAIN(TestSafetensorsFuzz)
#include "tst_safetensors_fuzz.moc"
