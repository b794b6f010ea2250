// CSM against golden set A (tests/data/golden/README.md): every case and every one of the 23
// intermediates within 1e-4, greedy codes identical; bf16 and int8 within their stated
// tolerances; and a tampered checkpoint must make the same runner fail where it should.

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

// Copies set A's CSM files into `dir` with every float of the weight `tensor` multiplied by 1.5.
bool copyWithTamperedTensor(const QString& dir, const char* tensor) {
    for (const char* f : {"csm_config.json", "csm_cases.safetensors", "csm_intermediates.safetensors"})
        if (!QFile::copy(kSetA + '/' + f, dir + '/' + f))
            return false;
    QFile original(kSetA + "/csm_model.safetensors");
    if (!original.open(QIODevice::ReadOnly))
        return false;
    QByteArray bytes = original.readAll();
    const auto parsed = SafetensorsFile::fromBytes(bytes, "csm_model");
    const TensorEntry* entry = parsed->find(tensor);
    if (!entry || entry->dtype != TensorDType::F32)
        return false;
    for (std::size_t i = 0; i < entry->bytes; i += sizeof(float)) {
        float v;
        std::memcpy(&v, bytes.constData() + entry->offset + i, sizeof v);
        v *= 1.5f;
        std::memcpy(bytes.data() + entry->offset + i, &v, sizeof v);
    }
    QFile tampered(dir + "/csm_model.safetensors");
    return tampered.open(QIODevice::WriteOnly) && tampered.write(bytes) == bytes.size();
}

void verifyFailed(const std::vector<ConformanceCase>& results, const char* name) {
    const ConformanceCase* c = findCase(results, name);
    QVERIFY2(c && !c->passed, name);
    QVERIFY2(c->maxAbsErr > kGoldenTolerance, name);
    QVERIFY2(c->why.contains("worst at"), qPrintable(c->why));
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

    // Every tensor of csm_intermediates.safetensors is compared, none left out by name: a new
    // tensor in the golden file that nobody compares fails here instead of passing unseen.
    void everyIntermediateCompared() {
        const auto file = SafetensorsFile::open(kSetA + "/csm_intermediates.safetensors");
        QStringList inFile, compared;
        for (const auto& e : file->entries())
            inFile << QString::fromStdString(e.name);
        for (const auto& c : setAResults())
            if (c.file == "csm_intermediates") {
                compared << c.name;
                QVERIFY2(c.passed, qPrintable(conformanceLine(c)));
            }
        QCOMPARE(inFile.size(), 23);   // INTERMEDIATES.md's CSM tables
        inFile.sort();
        compared.sort();
        QCOMPARE(compared, inFile);
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
        QVERIFY(copyWithTamperedTensor(dir.path(), "backbone.norm.scale"));
        const auto results = runCsmConformance(dir.path());
        for (const char* failing : {"backbone_hidden", "codebook0_logits", "csm.greedy_c0_logits"})
            verifyFailed(results, failing);
        QVERIFY(findCase(results, "csm.backbone_layer1_out")->passed);
        QVERIFY(conformanceLine(*findCase(results, "backbone_hidden")).startsWith("FAIL csm_cases:backbone_hidden max_abs_err="));
    }

    // Layer 0's q_proj ×1.5: the stages from q on fail (q, q after RoPE, attention, its
    // projection, the MLP that reads it, the layer's output), the stages that do not read q
    // (the norm before it, k before and after RoPE) still pass: each stage is compared on its own.
    void tamperedLayer0WeightFailsItsStages() {
        QTemporaryDir dir;
        QVERIFY(copyWithTamperedTensor(dir.path(), "backbone.layers.0.attn.q_proj.weight"));
        const auto results = runCsmConformance(dir.path());
        for (const char* failing : {"csm.backbone_layer0_q", "csm.backbone_layer0_q_rope", "csm.backbone_layer0_attn_pre_proj",
                                    "csm.backbone_layer0_attn_out", "csm.backbone_layer0_mlp_out", "csm.backbone_layer0_out"})
            verifyFailed(results, failing);
        for (const char* passing : {"csm.backbone_layer0_sa_norm", "csm.backbone_layer0_k", "csm.backbone_layer0_k_rope",
                                    "backbone_input_embeds"}) {
            const ConformanceCase* c = findCase(results, passing);
            QVERIFY2(c && c->passed, passing);
        }
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
