// Mimi against the reference outputs of golden set A (tests/data/golden/README.md): whole and
// streaming decode, whole and streaming encode, and the same weights under the published
// checkpoint's attention names. The cases come from runMimiConformance, the runner that
// `echoforge-cli conformance` uses.

#include <QtTest>

#include "core/codec/mimi/mimi_conformance.h"

using namespace echoforge;

namespace {

const QString kSetA = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A");

const std::vector<ConformanceCase>& resultsOfSetA() {
    static const std::vector<ConformanceCase> results = runMimiConformance(kSetA);
    return results;
}

} // namespace

class TestMimiGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void outputMatchesReference_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("name");
        QTest::newRow("decode") << "mimi_cases" << "decode_waveform";
        QTest::newRow("stream decode") << "mimi_cases" << "stream_decode_waveform";
        QTest::newRow("encode") << "mimi_cases" << "encode_codes";
        QTest::newRow("stream encode") << "mimi_cases" << "stream_encode_codes";
        QTest::newRow("published names: decode") << "mimi_model_published_names" << "decode_waveform";
        QTest::newRow("published names: encode") << "mimi_model_published_names" << "encode_codes";
    }

    void outputMatchesReference() {
        QFETCH(QString, file);
        QFETCH(QString, name);
        const ConformanceCase* found = nullptr;
        for (const ConformanceCase& c : resultsOfSetA())
            if ((c.file == file && c.name == name) || (!c.passed && c.name == "load"))
                found = &c;
        QVERIFY2(found, qPrintable(QStringLiteral("the runner reported no case %1:%2").arg(file, name)));
        QVERIFY2(found->passed, qPrintable(conformanceLine(*found)));
        if (name.endsWith("codes"))
            QCOMPARE(found->maxAbsErr, 0.0);
        else
            QVERIFY(found->maxAbsErr <= kGoldenTolerance);
    }

    void noCaseFails() {
        for (const ConformanceCase& c : resultsOfSetA())
            if (c.file != "mimi_intermediates")
                QVERIFY2(c.passed, qPrintable(conformanceLine(c)));
    }

    // A folder without the Mimi files is one failed case that names the missing file.
    void aMissingSetIsAFailedCase() {
        QTemporaryDir empty;
        const std::vector<ConformanceCase> results = runMimiConformance(empty.path());
        QCOMPARE(results.size(), size_t(1));
        QVERIFY(!results.front().passed);
        QVERIFY2(results.front().why.contains("mimi_config.json"), qPrintable(results.front().why));
    }
};

QTEST_GUILESS_MAIN(TestMimiGolden)
#include "tst_mimi_golden.moc"
