// CSM against golden set A (tests/data/golden/README.md): every case and 15 of the 23
// intermediates within 1e-4 (the other 8, the insides of backbone layer 0, are named in
// intermediatesNotCompared), greedy codes identical; bf16 and int8 within their stated
// tolerances; and a tampered checkpoint must make the same runner fail.

#include <cstring>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/model/conformance.h"
#include "core/model/safetensors.h"
#include "core/model/torch_runtime.h"
#include "tests/engine/error_sentence.h"

using namespace echoforge;

namespace {

const QString kSetA = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A");
// docs/models.md, "Precision": the whole-model tolerances of the reduced precisions.
constexpr double kBf16Tolerance = 0.1;
constexpr double kInt8Tolerance = 0.25;

const std::vector<ConformanceCase>& setAResults() {
    static const std::vector<ConformanceCase> results = runCsmConformance(kSetA);
    return results;
}

const ConformanceCase* findCase(const std::vector<ConformanceCase>& all, const QString& name) {
    for (const auto& c : all)
        if (c.name == name)
            return &c;
    return nullptr;
}

} // namespace

class TestCsmGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyCase_data() {
        QTest::addColumn<QString>("name");
        // The outputs the README names, then the intermediates that locate a difference.
        for (const char* name : {"backbone_input_embeds", "backbone_hidden", "codebook0_logits", "decoder_logits",
                                 "greedy_frames", "csm.backbone_rope_theta", "csm.backbone_rope_cache",
                                 "csm.decoder_rope_cache", "csm.backbone_layer0_out", "csm.backbone_layer1_out",
                                 "csm.decoder_inputs", "csm.decoder_step1_hidden", "csm.decoder_step_hidden",
                                 "csm.greedy_backbone_last_h", "csm.greedy_c0_logits"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void everyCase() {
        QFETCH(QString, name);
        const ConformanceCase* c = findCase(setAResults(), name);
        QVERIFY2(c, qPrintable("the runner did not report " + name));
        QVERIFY2(c->passed, qPrintable(conformanceLine(*c)));
        QVERIFY(c->maxAbsErr <= kGoldenTolerance);
    }

    // Which tensors of csm_intermediates.safetensors the runner does not compare, by name: the
    // stages inside backbone layer 0 (its norm, q/k before and after RoPE, attention, MLP). The
    // transformer exposes only whole layers; the layer outputs around them are compared. A new
    // tensor in the golden file that nobody compares fails here instead of passing unseen.
    void intermediatesNotCompared() {
        const auto file = SafetensorsFile::open(kSetA + "/csm_intermediates.safetensors");
        QSet<QString> compared;
        for (const auto& c : setAResults())
            if (c.file == "csm_intermediates")
                compared.insert(c.name);
        QStringList notCompared;
        for (const auto& e : file->entries())
            if (!compared.contains(QString::fromStdString(e.name)))
                notCompared << QString::fromStdString(e.name);
        QCOMPARE(int(file->entries().size()), 23);
        QCOMPARE(notCompared, (QStringList{"csm.backbone_layer0_attn_out", "csm.backbone_layer0_attn_pre_proj",
                                           "csm.backbone_layer0_k", "csm.backbone_layer0_k_rope",
                                           "csm.backbone_layer0_mlp_out", "csm.backbone_layer0_q",
                                           "csm.backbone_layer0_q_rope", "csm.backbone_layer0_sa_norm"}));
    }

    void noCaseFails() {
        QVERIFY(setAResults().size() >= 20);
        for (const auto& c : setAResults())
            QVERIFY2(c.passed, qPrintable(conformanceLine(c)));
    }

    // The final norm's scale ×1.5: the backbone output and everything after it must fail, while
    // the layers before the norm still pass. The runner can tell a wrong model from a right one.
    void tamperedWeightsFail() {
        QTemporaryDir dir;
        for (const char* f : {"csm_config.json", "csm_cases.safetensors", "csm_intermediates.safetensors"})
            QVERIFY(QFile::copy(kSetA + '/' + f, dir.filePath(f)));
        QFile original(kSetA + "/csm_model.safetensors");
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray bytes = original.readAll();
        const auto parsed = SafetensorsFile::fromBytes(bytes, "csm_model");
        const TensorEntry* scale = parsed->find("backbone.norm.scale");
        QVERIFY(scale && scale->dtype == TensorDType::F32);
        for (std::size_t i = 0; i < scale->bytes; i += sizeof(float)) {
            float v;
            std::memcpy(&v, bytes.constData() + scale->offset + i, sizeof v);
            v *= 1.5f;
            std::memcpy(bytes.data() + scale->offset + i, &v, sizeof v);
        }
        QFile tampered(dir.filePath("csm_model.safetensors"));
        QVERIFY(tampered.open(QIODevice::WriteOnly));
        tampered.write(bytes);
        tampered.close();

        const auto results = runCsmConformance(dir.path());
        for (const char* failing : {"backbone_hidden", "codebook0_logits", "csm.greedy_c0_logits"}) {
            const ConformanceCase* c = findCase(results, failing);
            QVERIFY2(c && !c->passed, failing);
            QVERIFY(c->maxAbsErr > kGoldenTolerance);
            QVERIFY2(c->why.contains("worst at"), qPrintable(c->why));
        }
        QVERIFY(findCase(results, "csm.backbone_layer1_out")->passed);
        QVERIFY(conformanceLine(*findCase(results, "backbone_hidden")).startsWith("FAIL csm_cases:backbone_hidden max_abs_err="));
    }

    // The device setting: CUDA only where this libtorch sees a GPU, a sentence where it does not.
    void deviceChoice() {
        const bool cuda = torchRuntimeInfo().cudaAvailable;
        QCOMPARE(chooseDevice("cpu"), ComputeDevice::Cpu);
        QCOMPARE(chooseDevice("auto"), cuda ? ComputeDevice::Cuda : ComputeDevice::Cpu);
        QCOMPARE(test::errorSentenceOf([] { chooseDevice("tpu"); }), QStringLiteral("Unknown device \"tpu\": choose auto, cpu or cuda."));
        if (cuda) {
            QCOMPARE(chooseDevice("cuda"), ComputeDevice::Cuda);
            return;
        }
        try {
            chooseDevice("cuda");
            QFAIL("choosing CUDA without a GPU must fail");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains("Set the device to Automatic or CPU"), qPrintable(e.sentence()));
        }
    }

    // Where this libtorch sees a GPU the whole golden set must also pass on it; elsewhere the
    // case is reported as skipped, not as passed.
    void everyCaseOnCuda() {
        if (!torchRuntimeInfo().cudaAvailable)
            QSKIP("this libtorch sees no CUDA GPU (Debian's libtorch is CPU-only); scripts/gpu-check.sh runs this on one");
        const auto onGpu = runCsmConformance(kSetA, ComputeDevice::Cuda);
        QCOMPARE(onGpu.size(), setAResults().size());
        for (const auto& c : onGpu)
            QVERIFY2(c.passed, qPrintable("on CUDA: " + conformanceLine(c)));
    }

    // The reduced precisions against the same set, whole model: every float output and
    // intermediate within the tolerance stated in docs/models.md for that precision (values are
    // of order 1). Measured worst cases (printed below; x86-64, AVX-512 kernels): bf16 0.035
    // (decoder_step_hidden), int8 0.096 (decoder_logits); the tolerances leave about 2.5x room
    // for other kernels and CPUs. bf16 keeps 8 bits of mantissa, int8 with block-32 scales 7.
    void reducedPrecisionWithinStatedTolerance_data() {
        QTest::addColumn<int>("precision");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("bf16") << int(WeightPrecision::BFloat16) << kBf16Tolerance;
        QTest::newRow("int8") << int(WeightPrecision::Int8) << kInt8Tolerance;
    }
    void reducedPrecisionWithinStatedTolerance() {
        QFETCH(int, precision);
        QFETCH(double, tolerance);
        const auto results = runCsmConformance(kSetA, ComputeDevice::Cpu, WeightPrecision(precision), tolerance);
        QCOMPARE(results.size(), setAResults().size());
        double worst = 0;
        QString worstName;
        for (const auto& c : results) {
            if (c.name == "greedy_frames")
                continue;   // codes from sampling: one logit off by 1e-3 may pick another code
            QVERIFY2(c.passed, qPrintable(conformanceLine(c)));
            if (c.maxAbsErr > worst) {
                worst = c.maxAbsErr;
                worstName = c.name;
            }
        }
        qInfo("worst max_abs_err %.3g (%s), tolerance %.3g", worst, qPrintable(worstName), tolerance);
        // Not exact: a reduced precision that matched fp32 to 1e-6 would mean it was not applied.
        QVERIFY2(worst > 1e-6, qPrintable(QString::number(worst)));
    }

    void missingDirectoryIsAFailedCase() {
        const auto results = runCsmConformance(QStringLiteral("/nonexistent/golden"));
        QCOMPARE(results.size(), std::size_t(1));
        QVERIFY(!results.front().passed);
        QVERIFY2(results.front().why.contains("csm_cases.safetensors"), qPrintable(results.front().why));
    }
};

QTEST_GUILESS_MAIN(TestCsmGolden)
#include "tst_csm_golden.moc"
