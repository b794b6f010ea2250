// Resampling, loudness, silence trimming and fades checked against signals whose answers are known.

#include <QtTest>

#include "core/audio/limiter.h"
#include "core/audio/loudness.h"
#include "core/audio/resampler.h"
#include "core/audio/silence.h"
#include "core/common/error.h"
#include "signals.h"

using namespace echoforge;

namespace {
// EBU R128 / ITU-R BS.1770: a full-scale 1 kHz sine on one channel reads -3.01 LUFS.
constexpr double kFullScaleSineLufs = -3.01;
constexpr double kLufsTolerance = 0.1;
} // namespace

class TestAudioProcessing : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resampleKeepsToneAndLength_data() {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::newRow("espeak 22050 -> 24000") << 22050 << 24000;
        QTest::newRow("44100 -> 24000") << 44100 << 24000;
        QTest::newRow("16000 -> 24000") << 16000 << 24000;
        QTest::newRow("48000 -> 24000") << 48000 << 24000;
    }
    void resampleKeepsToneAndLength() {
        QFETCH(int, from);
        QFETCH(int, to);
        const AudioBuffer in = test::sine(1000, 0.5, 1.0, from);
        const AudioBuffer out = resample(in, to);
        QCOMPARE(out.sampleRate, to);
        QVERIFY2(std::abs(double(out.frames()) - to) <= 2, qPrintable(QString::number(out.frames())));
        // The 1 kHz tone is still 1 kHz at the same level; nothing shows up at a wrong frequency.
        QVERIFY(std::abs(test::toneAmplitude(out, 1000) - 0.5) < 0.01);
        QVERIFY(test::toneAmplitude(out, 1000.0 * from / to) < 0.01 || from == to);
    }

    void resampleRemovesWhatTheNewRateCannotHold() {
        // 15 kHz is above the 12 kHz Nyquist limit of 24 kHz: it must be filtered, not folded to 9 kHz.
        const AudioBuffer out = resample(test::sine(15000, 0.5, 1.0, 48000), 24000);
        QVERIFY2(rmsAmplitude(out) < 0.005, qPrintable(QString::number(rmsAmplitude(out))));
        QVERIFY(test::toneAmplitude(out, 9000) < 0.005);
    }

    void resampleKeepsChannels() {
        const AudioBuffer out = resample(test::sine(500, 0.3, 0.5, 44100, 2), 24000);
        QCOMPARE(out.channels, 2);
        QVERIFY(std::abs(double(out.frames()) - 12000) <= 2);
        QCOMPARE(out.samples[2 * 6000], out.samples[2 * 6000 + 1]);
    }

    void streamingEqualsWhole() {
        const AudioBuffer in = test::sine(700, 0.4, 0.8, 22050);
        const AudioBuffer whole = resample(in, 24000);
        StreamingResampler stream(22050, 24000);
        std::vector<float> pieces;
        for (std::size_t at = 0; at < in.samples.size(); at += 1234) {
            const std::size_t n = std::min<std::size_t>(1234, in.samples.size() - at);
            const auto chunk = stream.feed(std::span<const float>(in.samples.data() + at, n));
            pieces.insert(pieces.end(), chunk.begin(), chunk.end());
        }
        const auto tail = stream.flush();
        pieces.insert(pieces.end(), tail.begin(), tail.end());
        QCOMPARE(pieces.size(), whole.samples.size());
        for (std::size_t i = 0; i < pieces.size(); ++i)
            QVERIFY2(std::abs(pieces[i] - whole.samples[i]) < 1e-5f, qPrintable(QString("sample %1").arg(i)));
    }

    void measuresKnownLoudness_data() {
        QTest::addColumn<double>("amplitude");
        QTest::addColumn<int>("channels");
        QTest::addColumn<double>("expectedLufs");
        QTest::newRow("full scale mono") << 1.0 << 1 << kFullScaleSineLufs;
        QTest::newRow("-20 dB mono") << 0.1 << 1 << kFullScaleSineLufs - 20;
        // Two equal channels add their power: +3.01 dB.
        QTest::newRow("-20 dB stereo") << 0.1 << 2 << kFullScaleSineLufs - 20 + 3.01;
    }
    void measuresKnownLoudness() {
        QFETCH(double, amplitude);
        QFETCH(int, channels);
        QFETCH(double, expectedLufs);
        const LoudnessMeasurement m = measureLoudness(test::sine(1000, amplitude, 3.0, 48000, channels));
        QVERIFY2(std::abs(m.integratedLufs - expectedLufs) < kLufsTolerance, qPrintable(QString::number(m.integratedLufs)));
        QVERIFY(std::abs(m.truePeakDbtp - amplitudeToDbfs(amplitude)) < 0.2);
    }

    void normalisesToTarget() {
        AudioBuffer quiet = test::sine(1000, 0.05, 3.0, 24000);
        const NormalizationResult r = normalizeLoudness(quiet);   // default target -16 LUFS
        QVERIFY(!r.peakLimited);
        QVERIFY(std::abs(r.before.integratedLufs - (kFullScaleSineLufs + amplitudeToDbfs(0.05))) < kLufsTolerance);
        QVERIFY(std::abs(measureLoudness(quiet).integratedLufs - kDefaultLoudnessLufs) < kLufsTolerance);
    }

    void peakCeilingWinsOverTarget() {
        // A sine at -6 dBFS is at -9 LUFS; reaching -2 LUFS would need +7 dB and clip: the gain stops at -1 dBTP.
        AudioBuffer loud = test::sine(1000, 0.5, 3.0, 24000);
        const NormalizationResult r = normalizeLoudness(loud, -2.0, -1.0);
        QVERIFY(r.peakLimited);
        QVERIFY(std::abs(amplitudeToDbfs(peakAmplitude(loud)) - (-1.0)) < 0.2);
        QVERIFY(peakAmplitude(loud) < 1.0f);
    }

    // Speech-like: a voice at -19.5 LUFS with short bursts peaking at -0.9 dBFS. The gain alone
    // would stop at the ceiling short of the target; the limiter takes the bursts
    // down instead, and the take reaches the target.
    void limiterLetsPeakySpeechReachTheTarget() {
        AudioBuffer speech = test::sine(220, 0.15, 4.0, 24000);
        for (int burst = 0; burst < 8; ++burst)
            for (int i = 0; i < 240; ++i) {   // 10 ms at 0.9
                const std::size_t at = std::size_t(burst * 12000 + 3000 + i);
                speech.samples[at] = float(0.9 * std::sin(2 * std::numbers::pi * 1500 * i / 24000.0));
            }
        const NormalizationResult r = normalizeLoudness(speech);   // -16 LUFS, -1 dBTP
        QVERIFY(r.peakLimited);
        QVERIFY2(r.limitedDb > 1.0 && r.limitedDb <= kMaxLimitingDb + 0.6, qPrintable(QString::number(r.limitedDb)));
        const LoudnessMeasurement after = measureLoudness(speech);
        QVERIFY2(std::abs(after.integratedLufs - kDefaultLoudnessLufs) < 0.5, qPrintable(QString::number(after.integratedLufs)));
        QVERIFY2(after.truePeakDbtp <= kDefaultPeakCeilingDbtp + 0.05, qPrintable(QString::number(after.truePeakDbtp)));
    }

    // The limiter only touches what is over the ceiling and the look-ahead and release around it,
    // and its gain moves in a ramp, never a step.
    void limiterIsLocalAndSmooth() {
        AudioBuffer audio = test::sine(440, 0.3, 2.0, 24000);
        const AudioBuffer original = audio;
        for (int i = 0; i < 48; ++i)
            audio.samples[24000 + i] *= 3.0f;   // 2 ms at 0.9, one second in
        const AudioBuffer withPeak = audio;
        const double depth = limitPeaks(audio, {.ceilingDbfs = -6.0});
        QVERIFY2(depth > 4.5 && depth < 5.5, qPrintable(QString::number(depth)));   // 0.9 down to 0.5
        QVERIFY(peakAmplitude(audio) <= float(dbfsToAmplitude(-6.0)) * 1.0001f);
        // Untouched before the look-ahead (5 ms), and back to unity long after the release (80 ms)
        for (std::size_t i : {std::size_t(0), std::size_t(20000), std::size_t(24000 - 200), std::size_t(47000)})
            QVERIFY2(std::abs(audio.samples[i] - original.samples[i]) < 1e-5f, qPrintable(QString::number(i)));
        QVERIFY(std::abs(audio.samples[24000 + 2400] / original.samples[24000 + 2400]) < 0.95f);   // still recovering at 100 ms
        // Gain ratio steps between neighbouring samples stay small
        double largestStep = 0, previous = 1;
        for (std::size_t i = 23000; i < 30000; ++i) {
            if (std::abs(withPeak.samples[i]) < 0.05f)
                continue;
            const double gain = audio.samples[i] / withPeak.samples[i];
            largestStep = std::max(largestStep, std::abs(gain - previous));
            previous = gain;
        }
        QVERIFY2(largestStep < 0.05, qPrintable(QString::number(largestStep)));
    }

    void silenceIsLeftAlone() {
        AudioBuffer quiet = test::silence(2.0, 24000);
        const NormalizationResult r = normalizeLoudness(quiet);
        QCOMPARE(r.gainDb, 0.0);
        QCOMPARE(peakAmplitude(quiet), 0.0f);
        QVERIFY_THROWS_EXCEPTION(Error, measureLoudness(AudioBuffer{{}, 24000, 1}));
    }

    void trimsLeadingAndTrailingSilence() {
        const int rate = 24000;
        const AudioBuffer clip = test::concat(test::concat(test::silence(0.5, rate), test::sine(300, 0.3, 1.0, rate)),
                                              test::silence(0.7, rate));
        SilenceOptions options;
        const AudioBuffer trimmed = trimSilence(clip, options);
        // 1 s of tone plus the kept margin on each side, within one analysis window.
        const double expected = 1.0 + 2 * options.keepSeconds;
        QVERIFY2(std::abs(trimmed.durationSeconds() - expected) <= options.windowSeconds,
                 qPrintable(QString::number(trimmed.durationSeconds())));
        QVERIFY(std::abs(speechSeconds(clip) - 1.0) <= options.windowSeconds);
        QVERIFY(trimSilence(test::silence(1.0, rate)).empty());
    }

    void fadesStartAndEndAtZero() {
        AudioBuffer dc{std::vector<float>(24000, 0.5f), 24000, 1};
        applyFades(dc, 0.01, 0.02);
        QCOMPARE(dc.samples.front(), 0.0f);
        QVERIFY(dc.samples.back() < 0.5f / 400);
        QCOMPARE(dc.samples[12000], 0.5f);             // the middle is untouched
        QVERIFY(std::abs(dc.samples[120] - 0.25f) < 0.01f);   // halfway through the 240-sample fade in
    }
};

QTEST_GUILESS_MAIN(TestAudioProcessing)
#include "tst_audio_processing.moc"
