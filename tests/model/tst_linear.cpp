// Linear's products against a double-precision reference over the weights as the layer keeps
// them (fp32, bf16, int8 and 4-bit with block scales), for every kernel instruction set this
// CPU has (AVX-512 with VNNI and BF16, AVX-512, AVX-VNNI, AVX2, portable), awkward shapes (rows
// not a multiple of the group, inputs not a multiple of a chunk), one to forty activation rows
// (the hand-written kernels, their tiled passes, a prompt in passes of sixteen and fp32's gemm path), and two threads.

#include "core/model/linear.h"

#include <algorithm>
#include <cmath>

#include "core/common/cpu_features.h"
#include "core/common/error.h"
#include "core/model/precision.h"

#include <QtTest>

using namespace echoforge;

namespace {

struct Shape { int64_t out, in; };
const Shape kShapes[] = {{1, 1}, {5, 7}, {13, 33}, {4, 32}, {67, 64}, {130, 300}, {2051, 1024}};

// Σ over blocks of 32 inputs of (half a step of the block) · Σ |W| over the block: how far int8's
// rounding of the activations can move each output. x [rows, in], w [out, in] → [rows, out].
torch::Tensor inputRoundingBound(const torch::Tensor& x, const torch::Tensor& w) {
    const int64_t in = x.size(1), padded = (in + 31) / 32 * 32;
    const auto pad = [&](const torch::Tensor& t) { return torch::constant_pad_nd(t, {0, padded - in}).view({t.size(0), -1, 32}); };
    const auto halfSteps = pad(x).abs().amax(-1) / 254.0;     // [rows, blocks]
    const auto weightMass = pad(w).abs().sum(-1);             // [out, blocks]
    return halfSteps.matmul(weightMass.t()) * 1.001;
}

// |Linear(x) − x·Wᵀ| with W as the layer stores it, within the bound, over every shape and row count.
void checkAllShapes(WeightPrecision precision) {
    torch::manual_seed(7);
    for (const auto& shape : kShapes)
        for (int64_t rows : {1, 2, 3, 4, 5, 9, 17, 40}) {
            const auto w = torch::rand({shape.out, shape.in}) * 2 - 1;
            const auto x = torch::rand({rows, shape.in}) * 2 - 1;
            const Linear layer(w, precision);
            const auto stored = layer.weightAsFloat().to(torch::kFloat64);   // W as the layer keeps it
            const auto expected = x.to(torch::kFloat64).matmul(stored.t());
            const auto got = layer(x);
            QCOMPARE(got.sizes().vec(), std::vector<int64_t>({rows, shape.out}));
            QCOMPARE(got.scalar_type(), torch::kFloat32);
            // fp32 accumulation over `in` terms of size ≤ 1; for int8, also each input's rounding
            // to half a step of its block of 32 (1/254 of the block's largest magnitude).
            auto allowed = torch::full({rows, shape.out}, 4e-7 * double(shape.in) + 1e-6, torch::kFloat64);
            if (precision == WeightPrecision::Int8 || precision == WeightPrecision::Q4)
                allowed += inputRoundingBound(x.to(torch::kFloat64), stored);
            if (precision == WeightPrecision::BFloat16 && kernels::bf16DotProduct())   // x rounded to bf16: half a step, 2⁻⁸ of each
                allowed += x.to(torch::kFloat64).abs().matmul(stored.abs().t()) * (std::ldexp(1.0, -8) * 1.001);
            const auto excess = ((got.to(torch::kFloat64) - expected).abs() - allowed).max().item<double>();
            if (excess > 0)
                QFAIL(qPrintable(QStringLiteral("W [%1, %2], %3 rows: error over the bound by %4")
                                     .arg(shape.out).arg(shape.in).arg(rows).arg(excess)));
        }
}

} // namespace

class TestLinear : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // "Automatic" (docs/models.md): int8 wherever its kernels are vectorised, fp32 on CPUs
    // without AVX2 or AVX-512, bf16 on a GPU, where int8 would run as bf16 anyway.
    void automaticPrecisionFollowsTheCpu() {
        CpuFeatures avx2;
        avx2.avx2 = avx2.fma = true;
        CpuFeatures avx2WithoutFma;
        avx2WithoutFma.avx2 = true;
        CpuFeatures avx512;
        avx512.avx512f = avx512.avx512bw = true;
        const CpuFeatures baseline;
        QCOMPARE(automaticPrecision(avx2, false), WeightPrecision::Int8);
        QCOMPARE(automaticPrecision(avx512, false), WeightPrecision::Int8);
        QCOMPARE(automaticPrecision(avx2WithoutFma, false), WeightPrecision::Float32);
        QCOMPARE(automaticPrecision(baseline, false), WeightPrecision::Float32);
        QCOMPARE(automaticPrecision(avx512, true), WeightPrecision::BFloat16);
        QCOMPARE(automaticPrecision(baseline, true), WeightPrecision::BFloat16);
        QCOMPARE(choosePrecision("auto"), automaticPrecision(CpuFeatures::detect(), false));
        QCOMPARE(choosePrecision("auto", true), WeightPrecision::BFloat16);
        QCOMPARE(choosePrecision("q4", true), WeightPrecision::Q4);   // a named format is kept
        QVERIFY_THROWS_EXCEPTION(Error, choosePrecision("int4"));
    }

    void initTestCase() { at::set_num_threads(2); }

    void fp32MatchesReference() { checkAllShapes(WeightPrecision::Float32); }

    void everyFormatOnEveryInstructionSet_data() {
        QTest::addColumn<int>("precision");
        QTest::addColumn<QString>("isa");
        for (auto precision : {WeightPrecision::Float32, WeightPrecision::BFloat16, WeightPrecision::Int8, WeightPrecision::Q4})
            for (const auto& isa : kernels::availableKernelIsas())
                QTest::addRow("%s %s", qPrintable(precisionName(precision)), isa.c_str()) << int(precision) << QString::fromStdString(isa);
    }

    void everyFormatOnEveryInstructionSet() {
        QFETCH(int, precision);
        QFETCH(QString, isa);
        const std::string best = kernels::kernelIsaName();
        QVERIFY(kernels::useKernelIsa(isa.toStdString()));
        QCOMPARE(QString::fromLatin1(kernels::kernelIsaName()), isa);
        checkAllShapes(WeightPrecision(precision));
        QVERIFY(kernels::useKernelIsa(best));
    }

    void instructionSetsByName() {
        const auto all = kernels::availableKernelIsas();
        QVERIFY(!all.empty());
        QCOMPARE(all.back(), std::string("scalar"));   // the portable fallback is always there
        QCOMPARE(std::string(kernels::kernelIsaName()), all.front());
        QVERIFY(!kernels::useKernelIsa("sse9"));
        const auto& cpu = CpuFeatures::detect();
        // This CPU's flags decide the list (checked against /proc/cpuinfo's own words).
        QCOMPARE(std::find(all.begin(), all.end(), "avx512vnni") != all.end(), cpu.avx512f && cpu.avx512bw && cpu.avx512vnni);
        QCOMPARE(std::find(all.begin(), all.end(), "avxvnni") != all.end(), cpu.avx2 && cpu.fma && cpu.avxvnni);
    }

    // Each block of 32 weights is rounded to 4-bit steps of a bf16 scale (its largest
    // magnitude / 7): no weight moves more than half a step, and the product stays close.
    void q4ErrorIsHalfAStepPerBlock() {
        torch::manual_seed(5);
        const auto w = torch::randn({37, 100});
        const Linear layer(w, WeightPrecision::Q4);
        QCOMPARE(layer.weightBytes(), int64_t(37 * 100 / 2 + 37 * 100 / 32 * 2));
        const auto stored = layer.weightAsFloat();
        for (int64_t start = 0; start < 100; start += 32) {
            const int64_t n = std::min<int64_t>(32, 100 - start);
            const auto block = w.narrow(1, start, n);
            const auto halfStep = block.abs().amax(1, true) / 7.0 / 2.0 * 1.01;   // bf16 scale: within 2⁻⁸
            QVERIFY(((stored.narrow(1, start, n) - block).abs() <= halfStep + 1e-7).all().item<bool>());
        }
        const auto x = torch::randn({1, 100});
        const double relative = ((layer(x) - x.matmul(w.t())).norm() / x.matmul(w.t()).norm()).item<double>();
        QVERIFY2(relative < 0.15, qPrintable(QString::number(relative)));
        QVERIFY2(relative > 0.001, qPrintable(QString::number(relative)));   // it is rounded
    }

    // multiply() on raw memory gives what operator() gives, for every row count it takes.
    void rawMultiplyMatchesTensorProduct() {
        torch::manual_seed(9);
        const auto w = torch::randn({70, 90});
        for (auto precision : {WeightPrecision::Float32, WeightPrecision::BFloat16, WeightPrecision::Int8, WeightPrecision::Q4}) {
            const Linear layer(w, precision);
            for (int64_t rows : {int64_t(1), int64_t(2), int64_t(7), Linear::kMaxKernelRows}) {
                const auto x = torch::randn({rows, 90});
                auto y = torch::empty({rows, 70});
                layer.multiply(x.data_ptr<float>(), rows, y.data_ptr<float>());
                QVERIFY(torch::equal(y, layer(x)));
            }
        }
    }

    // Each block of 32 weights is rounded to 255 levels of its largest magnitude: no weight moves
    // more than half a level, and the product stays within the matching bound of fp32's.
    void int8ErrorIsHalfAStepPerBlock() {
        torch::manual_seed(3);
        const auto w = torch::randn({37, 100});
        const Linear layer(w, WeightPrecision::Int8);
        QCOMPARE(layer.precision(), WeightPrecision::Int8);
        QCOMPARE(layer.weightBytes(), int64_t(37 * 100 + 37 * 100 / 32 * 4));
        const auto stored = layer.weightAsFloat();
        for (int64_t start = 0; start < 100; start += 32) {
            const int64_t n = std::min<int64_t>(32, 100 - start);
            const auto block = w.narrow(1, start, n);
            const auto halfStep = block.abs().amax(1, true) / 127.0 / 2.0;            // [37, 1]
            const auto error = (stored.narrow(1, start, n) - block).abs();
            QVERIFY((error <= halfStep * 1.0001 + 1e-7).all().item<bool>());
        }
        QVERIFY(!torch::equal(stored, w));   // it is rounded
        const auto x = torch::randn({1, 100});
        const double relative = ((layer(x) - x.matmul(w.t())).norm() / x.matmul(w.t()).norm()).item<double>();
        QVERIFY2(relative < 0.01, qPrintable(QString::number(relative)));
    }

    void bf16WeightsRoundTripExactly() {
        const auto w = torch::randn({13, 45});
        const Linear layer(w, WeightPrecision::BFloat16);
        QCOMPARE(layer.precision(), WeightPrecision::BFloat16);
        QCOMPARE(layer.weightBytes(), int64_t(13 * 45 * 2));
        QVERIFY(torch::equal(layer.weightAsFloat(), w.to(torch::kBFloat16).to(torch::kFloat32)));
    }

    void keepsLeadingDimensions() {
        for (auto precision : {WeightPrecision::Float32, WeightPrecision::BFloat16, WeightPrecision::Int8, WeightPrecision::Q4}) {
            const Linear layer(torch::randn({6, 8}), precision);
            QCOMPARE(layer(torch::randn({8})).sizes().vec(), std::vector<int64_t>({6}));
            QCOMPARE(layer(torch::randn({2, 3, 8})).sizes().vec(), std::vector<int64_t>({2, 3, 6}));
        }
    }
};

QTEST_GUILESS_MAIN(TestLinear)
#include "tst_linear.moc"
