// Every intermediate tensor of golden set A's Mimi (tests/data/golden/INTERMEDIATES.md) against
// our modules, one row per tensor: when an output differs, the first failing row names the
// module that is wrong.

#include <QtTest>

#include "core/codec/mimi/mimi_conformance.h"

Q_DECLARE_METATYPE(echoforge::ConformanceCase)

using namespace echoforge;

class TestMimiIntermediates : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stageMatchesReference_data() {
        QTest::addColumn<ConformanceCase>("result");
        const auto results = runMimiConformance(QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A"));
        int rows = 0;
        for (const ConformanceCase& c : results) {
            if (c.file != "mimi_intermediates" && c.passed)
                continue;
            QTest::newRow(qPrintable(c.file + ":" + c.name)) << c;
            ++rows;
        }
        // The file holds 51 tensors (INTERMEDIATES.md); all of them must have been compared.
        QVERIFY2(rows >= 51, qPrintable(QStringLiteral("only %1 intermediates compared").arg(rows)));
    }

    void stageMatchesReference() {
        QFETCH(ConformanceCase, result);
        QVERIFY2(result.passed, qPrintable(conformanceLine(result)));
    }
};

QTEST_GUILESS_MAIN(TestMimiIntermediates)
#include "tst_mimi_intermediates.moc"
