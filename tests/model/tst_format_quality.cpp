// The quality of the weight formats against fp32 on golden set A (compareFormats, which
// `echoforge-cli quality` prints for the real weights): fp32 against itself is exact, and the
// coarser a format's steps, the larger its logit error (bf16 < int8 < 4-bit), while the
// greedy codes still mostly agree. Prints the figures docs/performance.md quotes.

#include "core/model/format_quality.h"
#include "core/model/tensor_loading.h"

#include <QtTest>

using namespace echoforge;

namespace {

const QString kSetA = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A");

std::vector<CsmPrompt> goldenPrompts() {
    const auto cases = loadTensors(kSetA + "/csm_cases.safetensors");
    const auto tokens = cases.at("prompt_tokens").contiguous();
    const auto mask = cases.at("prompt_mask").to(torch::kUInt8).contiguous();
    std::vector<CsmPrompt> prompts;
    for (int64_t frames : {tokens.size(0), tokens.size(0) - 1, int64_t(1)}) {
        const int64_t cells = frames * tokens.size(1);
        prompts.push_back({{tokens.data_ptr<int64_t>(), tokens.data_ptr<int64_t>() + cells},
                           {mask.data_ptr<uint8_t>(), mask.data_ptr<uint8_t>() + cells}});
    }
    return prompts;
}

FormatQuality judge(WeightPrecision candidate) {
    const auto q = compareFormats(kSetA + "/csm_config.json", kSetA + "/csm_model.safetensors", WeightPrecision::Float32,
                                  candidate, goldenPrompts(), 6);
    qInfo("golden A, %s against fp32: codes agreeing %.1f %% (codebook 0 %.1f %%), mean KL₀ %.5f, logit error mean %.5f max %.5f",
          qPrintable(precisionName(candidate)), q.codeAgreement * 100, q.codebook0Agreement * 100, q.meanKl0,
          q.meanAbsLogitError, q.maxAbsLogitError);
    return q;
}

} // namespace

class TestFormatQuality : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    void fp32AgainstItselfIsExact() {
        const auto q = judge(WeightPrecision::Float32);
        QCOMPARE(q.frames, 18);                    // 3 prompts × 6 frames
        QCOMPARE(q.codes, 18 * 8);                 // 8 codebooks in set A
        QCOMPARE(q.codeAgreement, 1.0);
        QCOMPARE(q.meanKl0, 0.0);
        QCOMPARE(q.maxAbsLogitError, 0.0);
    }

    void coarserFormatsMoveFurther() {
        const auto bf16 = judge(WeightPrecision::BFloat16);
        const auto int8 = judge(WeightPrecision::Int8);
        const auto q4 = judge(WeightPrecision::Q4);
        // bf16 keeps 8 bits of mantissa, int8 about 7 per block, 4-bit 3: errors grow in that order.
        QVERIFY(bf16.meanAbsLogitError > 0);
        QVERIFY2(int8.meanAbsLogitError > bf16.meanAbsLogitError, qPrintable(QString::number(int8.meanAbsLogitError)));
        QVERIFY2(q4.meanAbsLogitError > 2 * int8.meanAbsLogitError, qPrintable(QString::number(q4.meanAbsLogitError)));
        QVERIFY(q4.meanKl0 >= 0);
        // Greedy codes stay mostly the same even at 4 bits.
        QVERIFY2(int8.codeAgreement > 0.8, qPrintable(QString::number(int8.codeAgreement)));
        QVERIFY2(q4.codeAgreement > 0.5, qPrintable(QString::number(q4.codeAgreement)));
    }
};

QTEST_GUILESS_MAIN(TestFormatQuality)
#include "tst_format_quality.moc"
