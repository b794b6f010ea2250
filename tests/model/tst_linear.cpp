// Linear's products against a double-precision reference, for every kernel instruction set this
// CPU has, awkward shapes (rows not a multiple of the group, inputs not a multiple of a chunk),
// one to nine activation rows (the hand-written kernels and the gemm path), and two threads.

// torch before Qt: Qt's `slots` keyword macro breaks torch's headers.
#include "core/model/linear.h"

#include <QtTest>

using namespace echoforge;

namespace {

struct Shape { int64_t out, in; };
const Shape kShapes[] = {{1, 1}, {5, 7}, {13, 33}, {4, 32}, {67, 64}, {130, 300}, {2051, 1024}};

// Max |Linear(x) − x·Wᵀ| with W as the layer stores it, over every shape and row count.
void checkAllShapes(WeightPrecision precision) {
    torch::manual_seed(7);
    for (const auto& shape : kShapes)
        for (int64_t rows : {1, 2, 3, 4, 5, 9}) {
            const auto w = torch::rand({shape.out, shape.in}) * 2 - 1;
            const auto x = torch::rand({rows, shape.in}) * 2 - 1;
            const Linear layer(w, precision);
            const auto stored = toPrecision(w, precision).to(torch::kFloat64);
            const auto expected = x.to(torch::kFloat64).matmul(stored.t());
            const auto got = layer(x);
            QCOMPARE(got.sizes().vec(), std::vector<int64_t>({rows, shape.out}));
            QCOMPARE(got.scalar_type(), torch::kFloat32);
            const double error = (got.to(torch::kFloat64) - expected).abs().max().item<double>();
            // fp32 accumulation over `in` terms of size ≤ 1
            const double tolerance = 4e-7 * double(shape.in) + 1e-6;
            if (error > tolerance)
                QFAIL(qPrintable(QStringLiteral("W [%1, %2], %3 rows: max error %4 > %5")
                                     .arg(shape.out).arg(shape.in).arg(rows).arg(error).arg(tolerance)));
        }
}

} // namespace

class TestLinear : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { at::set_num_threads(2); }

    void fp32MatchesReference() { checkAllShapes(WeightPrecision::Float32); }

    void bf16MatchesReferenceOnEveryInstructionSet() {
        const QString best = QString::fromLatin1(kernels::kernelIsaName());
        int tried = 0;
        for (const char* isa : {"avx512", "avx2", "scalar"}) {
            if (!kernels::useKernelIsa(isa))
                continue;   // this CPU lacks it
            ++tried;
            QCOMPARE(QString::fromLatin1(kernels::kernelIsaName()), QString::fromLatin1(isa));
            checkAllShapes(WeightPrecision::BFloat16);
        }
        QVERIFY(kernels::useKernelIsa(best.toStdString()));
        QVERIFY(tried >= 1);
        QVERIFY(!kernels::useKernelIsa("sse9"));
    }

    void bf16WeightsRoundTripExactly() {
        const auto w = torch::randn({13, 45});
        const Linear layer(w, WeightPrecision::BFloat16);
        QCOMPARE(layer.precision(), WeightPrecision::BFloat16);
        QCOMPARE(layer.weightBytes(), int64_t(13 * 45 * 2));
        QVERIFY(torch::equal(layer.weightAsFloat(), w.to(torch::kBFloat16).to(torch::kFloat32)));
    }

    void keepsLeadingDimensions() {
        const Linear layer(torch::randn({6, 8}), WeightPrecision::BFloat16);
        QCOMPARE(layer(torch::randn({8})).sizes().vec(), std::vector<int64_t>({6}));
        QCOMPARE(layer(torch::randn({2, 3, 8})).sizes().vec(), std::vector<int64_t>({2, 3, 6}));
    }
};

QTEST_GUILESS_MAIN(TestLinear)
#include "tst_linear.moc"
