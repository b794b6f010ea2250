// The int8 and 4-bit kernels through their WeightFormat rows, torch-free: for every instruction set
// this CPU has, each product against a double-precision sum over the weights as stored
// (dequantized) and the activations as rounded (int8 · block scale), on shapes that are not whole
// groups or chunks, for 1 to 16 activation rows (one pass of up to eight, then tiles), split at an
// odd group as two threads split it. Also: a row's result is the same bits whichever rows share its
// pass (CsmModel::generateBatch relies on it), and the vector rounding of the activations gives the
// scalar rounding's bits.

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include <QtTest>

#include "core/model/int8_kernels.h"
#include "core/model/weight_format.h"

using namespace echoforge;
using namespace echoforge::kernels;

namespace {

std::vector<float> normal(int64_t n, float deviation, std::mt19937& random) {
    std::normal_distribution<float> d(0.0f, deviation);
    std::vector<float> v(static_cast<std::size_t>(n));
    for (auto& e : v)
        e = d(random);
    return v;
}

// The activations the kernels multiply: each prepared row is paddedIn int8, then paddedIn / 32 scales.
std::vector<double> roundedActivations(const std::byte* prepared, const WeightFormat& format, const MatrixShape& shape,
                                       int64_t rows) {
    const int64_t rowBytes = format.preparedRowBytes(shape), padded = Int8Layout{shape.out, shape.in}.paddedIn();
    std::vector<double> x(static_cast<std::size_t>(rows * shape.in));
    for (int64_t r = 0; r < rows; ++r) {
        const auto* q = reinterpret_cast<const std::int8_t*>(prepared + r * rowBytes);
        const auto* scales = reinterpret_cast<const float*>(prepared + r * rowBytes + padded);
        for (int64_t i = 0; i < shape.in; ++i)
            x[std::size_t(r * shape.in + i)] = double(q[i]) * double(scales[i / Int8Layout::kBlock]);
    }
    return x;
}

} // namespace

class TestQuantizedKernels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { QVERIFY(useKernelIsa(availableKernelIsas().front())); }

    void matchesReference_data() {
        QTest::addColumn<bool>("fourBit");
        QTest::addColumn<QString>("isa");
        for (const auto& isa : availableKernelIsas()) {
            QTest::addRow("int8 %s", isa.c_str()) << false << QString::fromStdString(isa);
            QTest::addRow("q4 %s", isa.c_str()) << true << QString::fromStdString(isa);
        }
    }

    // Only the order of the fp32 sums may differ from the reference: within 1e-6 of Σ |w·x|.
    void matchesReference() {
        QFETCH(bool, fourBit);
        QFETCH(QString, isa);
        QVERIFY(useKernelIsa(isa.toStdString()));
        const WeightFormat& format = weightFormat(fourBit ? WeightPrecision::Q4 : WeightPrecision::Int8);
        std::mt19937 random(11);
        for (const MatrixShape shape : {MatrixShape{37, 100}, MatrixShape{1, 33}, MatrixShape{130, 2051}, MatrixShape{5, 65},
                                        MatrixShape{64, 1024}, MatrixShape{23, 6150}}) {
            const auto w = normal(shape.out * shape.in, 0.05f, random);
            std::vector<std::byte> packed(std::size_t(format.packedBytes(shape)));
            format.pack(w.data(), shape, packed.data(), 0, shape.groups());
            std::vector<float> stored(std::size_t(shape.out * shape.in));
            format.unpack(packed.data(), shape, 0, shape.out, stored.data());
            for (int64_t rows : {1, 2, 3, 4, 5, 6, 7, 8, 9, 16}) {
                const auto x = normal(rows * shape.in, 1.0f, random);
                std::vector<std::byte> prepared(std::size_t(rows * format.preparedRowBytes(shape)));
                format.prepare(x.data(), rows, shape, prepared.data());
                const auto rounded = roundedActivations(prepared.data(), format, shape, rows);
                std::vector<float> y(std::size_t(rows * shape.out), NAN);
                const int64_t split = shape.groups() / 2 + 1 < shape.groups() ? shape.groups() / 2 + 1 : shape.groups();
                multiplyGroups(format, packed.data(), shape, prepared.data(), rows, y.data(), 0, split);
                multiplyGroups(format, packed.data(), shape, prepared.data(), rows, y.data(), split, shape.groups());
                for (int64_t r = 0; r < rows; ++r) {
                    std::vector<float> alone(std::size_t(shape.out));
                    multiplyGroups(format, packed.data(), shape, prepared.data() + r * format.preparedRowBytes(shape), 1,
                                   alone.data(), 0, shape.groups());
                    QVERIFY2(std::memcmp(alone.data(), y.data() + r * shape.out, sizeof(float) * alone.size()) == 0,
                             qPrintable(QStringLiteral("W [%1, %2], %3 rows: row %4 alone differs").arg(shape.out).arg(shape.in).arg(rows).arg(r)));
                    for (int64_t o = 0; o < shape.out; ++o) {
                        double expected = 0, magnitude = 0;
                        for (int64_t i = 0; i < shape.in; ++i) {
                            const double term = double(stored[std::size_t(o * shape.in + i)]) * rounded[std::size_t(r * shape.in + i)];
                            expected += term;
                            magnitude += std::abs(term);
                        }
                        const double got = y[std::size_t(r * shape.out + o)];
                        if (!(std::abs(got - expected) <= 1e-6 * magnitude + 1e-30))
                            QFAIL(qPrintable(QStringLiteral("W [%1, %2], %3 rows: y[%4][%5] = %6, expected %7 (Σ|w·x| %8)")
                                                 .arg(shape.out).arg(shape.in).arg(rows).arg(r).arg(o)
                                                 .arg(got, 0, 'g', 9).arg(expected, 0, 'g', 9).arg(magnitude, 0, 'g', 3)));
                    }
                }
            }
        }
    }

    // quantizeRows rounds full blocks in vectors: the same int8 values and scales as the scalar
    // loop, on exact ties, zero blocks, a NaN, an infinity and widths around a block.
    void vectorRoundingMatchesScalar() {
        if (availableKernelIsas().front() == "scalar")
            QSKIP("this CPU runs the scalar rounding only");
        std::mt19937 random(5);
        std::uniform_real_distribution<float> uniform(-1, 1);
        for (int64_t in : {1, 31, 32, 33, 100, 2051, 8192})
            for (int trial = 0; trial < 8; ++trial) {
                const Int8Layout layout{1, in};
                const int64_t rows = 3, padded = layout.paddedIn();
                std::vector<float> x(std::size_t(rows * in));
                for (auto& v : x)
                    v = uniform(random) * (trial == 0 ? 1e-30f : trial == 1 ? 3e4f : 1.0f);
                if (trial == 2)   // ties: each block's largest is 127 steps of 0.37, the rest halves of a step
                    for (int64_t i = 0; i < rows * in; ++i)
                        x[std::size_t(i)] = (i % 32 == 0 ? 127.0f : float(int(uniform(random) * 254)) / 2.0f) * 0.37f;
                if (trial == 3)
                    std::fill(x.begin(), x.end(), 0.0f);
                if (trial == 4)
                    x.front() = NAN, x.back() = -NAN;
                if (trial == 5)
                    x.front() = INFINITY;
                std::vector<std::int8_t> scalarQ(std::size_t(rows * padded)), vectorQ(scalarQ.size());
                std::vector<float> scalarScales(std::size_t(rows * padded / Int8Layout::kBlock)), vectorScales(scalarScales.size());
                QVERIFY(useKernelIsa("scalar"));
                quantizeRows(x.data(), rows, layout, scalarQ.data(), scalarScales.data());
                QVERIFY(useKernelIsa(availableKernelIsas().front()));
                quantizeRows(x.data(), rows, layout, vectorQ.data(), vectorScales.data());
                for (std::size_t i = 0; i < scalarQ.size(); ++i)
                    if (scalarQ[i] != vectorQ[i])
                        QFAIL(qPrintable(QStringLiteral("in %1, trial %2: value %3 is %4, the scalar loop's %5")
                                             .arg(in).arg(trial).arg(i).arg(vectorQ[i]).arg(scalarQ[i])));
                QVERIFY(std::memcmp(scalarScales.data(), vectorScales.data(), sizeof(float) * scalarScales.size()) == 0);
            }
    }
};

QTEST_GUILESS_MAIN(TestQuantizedKernels)
#include "tst_quantized_kernels.moc"
