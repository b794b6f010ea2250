// The take check tells made-up failed takes (silent, runaway, stopped early) from good ones.

#include <cmath>
#include <random>
#include <vector>

#include <QtTest>

#include "core/generation/take_check.h"

using namespace echoforge;

namespace {

constexpr int kRate = 24000;

// Speech-like: noise bursts of syllable length with short gaps, at a speaking level.
std::vector<float> speechLike(double seconds, unsigned seed = 7) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.f, 0.1f);
    std::vector<float> out(std::size_t(seconds * kRate));
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double t = double(i) / kRate;
        const bool voiced = std::fmod(t, 0.25) < 0.18;
        out[i] = voiced ? noise(rng) * float(std::sin(2 * M_PI * 180 * t) * 0.5 + 0.6) : 0.f;
    }
    return out;
}

const QString kText = "The quick brown fox jumps over the lazy dog near the quiet river bank.";

} // namespace

class TestTakeCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void expectedDurationGrowsWithText() {
        const double shortText = expectedSpeechSeconds("Hello there.");
        const double longText = expectedSpeechSeconds(kText);
        QVERIFY(shortText > 0.5 && shortText < 2.0);
        QVERIFY(longText > 4.0 && longText < 8.0);
    }

    void goodTakePasses() {
        const auto audio = speechLike(expectedSpeechSeconds(kText));
        const auto a = assessTake(audio, kRate, kText, false);
        QVERIFY2(a.good(), qPrintable(a.reason));
        QVERIFY(a.reason.isEmpty());
    }

    void silentTakeFails() {
        std::vector<float> quiet(kRate * 5, 0.f);
        std::mt19937 rng(1);
        std::normal_distribution<float> hiss(0.f, 1e-4f);
        for (auto& s : quiet)
            s = hiss(rng);
        const auto a = assessTake(quiet, kRate, kText, false);
        QCOMPARE(a.verdict, TakeVerdict::Silent);
        QCOMPARE(a.reason, QStringLiteral("The take was silent."));
        QCOMPARE(assessTake({}, kRate, kText, false).verdict, TakeVerdict::Silent);
    }

    void runawayTakeFails() {
        const auto audio = speechLike(30.0);
        const auto a = assessTake(audio, kRate, kText, false);
        QCOMPARE(a.verdict, TakeVerdict::Runaway);
        QVERIFY(a.reason.contains("30.0"));
        // Reaching the frame limit well past the expected length is a runaway too.
        const auto limited = assessTake(speechLike(expectedSpeechSeconds(kText) + 4.0), kRate, kText, true);
        QCOMPARE(limited.verdict, TakeVerdict::Runaway);
    }

    void earlyStopFails() {
        const auto audio = speechLike(0.8);
        QCOMPARE(assessTake(audio, kRate, kText, false).verdict, TakeVerdict::EndedEarly);
        // A one-word text cannot stop early.
        QCOMPARE(assessTake(audio, kRate, "Hi.", false).verdict, TakeVerdict::Good);
    }
};

QTEST_GUILESS_MAIN(TestTakeCheck)
#include "tst_take_check.moc"
