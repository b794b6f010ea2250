// CSM against golden set A (tests/data/golden/README.md): every case and intermediate within
// 1e-4, greedy codes identical; and a tampered checkpoint must make the same runner fail.

#include <cstring>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/model/conformance.h"
#include "core/model/safetensors.h"
#include "core/model/torch_runtime.h"

using namespace echoforge;

namespace {

const QString kSetA = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A");

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
    // Where it does, the whole golden set must also pass on the GPU.
    void deviceChoice() {
        const bool cuda = torchRuntimeInfo().cudaAvailable;
        QCOMPARE(chooseDevice("cpu"), ComputeDevice::Cpu);
        QCOMPARE(chooseDevice("auto"), cuda ? ComputeDevice::Cuda : ComputeDevice::Cpu);
        QVERIFY_THROWS_EXCEPTION(Error, chooseDevice("tpu"));
        if (!cuda) {
            try {
                chooseDevice("cuda");
                QFAIL("choosing CUDA without a GPU must fail");
            } catch (const Error& e) {
                QVERIFY2(e.sentence().contains("Set the device to Automatic or CPU"), qPrintable(e.sentence()));
            }
            return;
        }
        QCOMPARE(chooseDevice("cuda"), ComputeDevice::Cuda);
        const auto onGpu = runCsmConformance(kSetA, ComputeDevice::Cuda);
        QVERIFY(onGpu.size() >= 20);
        for (const auto& c : onGpu)
            QVERIFY2(c.passed, qPrintable("on CUDA: " + conformanceLine(c)));
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
