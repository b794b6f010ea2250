// The watermark through desynchronisation: speed, tempo and pitch changes of 2, 5 and 10 % either
// way, found by the search over time scales at the factor the change applied; and no false
// positive on a few hundred unmarked clips at the threshold docs/watermark.md fixes (set
// ECHOFORGE_WATERMARK_NULL_CLIPS=2000 to run the full measurement the document quotes).

#include <algorithm>
#include <cmath>
#include <numeric>
#include <thread>

#include <QtTest>
#include <sndfile.h>

#include "core/generation/watermark.h"
#include "tst_watermark_signals.h"

using namespace echoforge;
using namespace echoforge::testing;

namespace {

enum class Change { Speed, Tempo, Pitch };

std::vector<float> changed(std::span<const float> pcm, Change change, double factor) {
    switch (change) {
    case Change::Speed: return speedChanged(pcm, factor);
    case Change::Tempo: return tempoChanged(pcm, factor);
    case Change::Pitch: return pitchShifted(pcm, factor);
    }
    return {};
}

std::vector<float> speechClip(int kind, double seconds) {
    std::vector<float> pcm = kind == 0
        ? formantSpeech(11, seconds)
        : espeakSpeech(QStringLiteral("The quick brown fox jumps over the lazy dog, and then it runs far away into "
                                      "the forest where nobody can see it any more."), "en", 160, 50);
    pcm.resize(std::size_t(seconds * kSignalRate), 0.0f);
    return pcm;
}

// Sentences of 10-20 words from a fixed vocabulary (not those of tst_watermark_rates).
QString sentence(int index) {
    static const char* words[] = {"evening", "harbour", "gently", "eleven", "kitchen", "carried", "a", "meadow",
                                  "tomorrow", "letters", "honestly", "valley", "quiet", "copper", "under",
                                  "whisper", "airport", "yellow", "rapidly", "chair", "or", "they", "always"};
    return vocabularySentence(words, index, 5, 11);
}

// Unmarked clip `index` of the false-positive measurement: eSpeak NG in eight languages, synthetic
// speech, music-like tones, silence with noise, and eSpeak NG and synthetic speech decoded from
// Ogg Vorbis (a codec's output); 3-6 s. Seeds differ from those the null model was fitted on.
std::vector<float> unmarkedClip(int index, const QString& scratchFile) {
    static const char* voices[] = {"en", "en-us", "de", "fr", "es", "it", "nl", "pl"};
    const double seconds = 3.0 + double(index % 7) * 0.5;
    auto espeak = [&] {
        std::vector<float> pcm = espeakSpeech(sentence(index), voices[index % 8], 110 + (index * 37) % 130,
                                              (index * 43) % 100);
        pcm.resize(std::min(pcm.size(), std::size_t(seconds * kSignalRate)));
        return pcm;
    };
    const int vorbis = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    switch (index % 6) {
    case 0: return espeak();
    case 1: return formantSpeech(1000000 + std::uint64_t(index), seconds);
    case 2: return musicLike(1100000 + std::uint64_t(index), seconds);
    case 3: return silenceAndNoise(1200000 + std::uint64_t(index), seconds);
    case 4: return throughCodec(espeak(), kSignalRate, vorbis, scratchFile, 0.8);
    default: return throughCodec(formantSpeech(1300000 + std::uint64_t(index), seconds), kSignalRate, vorbis,
                                 scratchFile, 0.8);
    }
}

// Detects every clip, on all cores (a Watermarker's const methods may run on several threads;
// eSpeak NG may not, so the clips are made beforehand).
std::vector<Detection> detectAll(const Watermarker& marker, const std::vector<std::vector<float>>& clips) {
    std::vector<Detection> results(clips.size());
    const unsigned workers = std::clamp(std::thread::hardware_concurrency(), 1u, unsigned(std::max<std::size_t>(1, clips.size())));
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
            for (std::size_t i = w; i < clips.size(); i += workers)
                results[i] = marker.detect(clips[i], kSignalRate);
        });
    for (std::thread& t : threads)
        t.join();
    return results;
}

} // namespace

Q_DECLARE_METATYPE(Change)

class TestWatermarkDesync : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void foundThroughSpeedTempoAndPitchChanges_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<Change>("change");
        QTest::addColumn<double>("factor");
        const char* kinds[] = {"formant 11", "espeak"};
        const std::pair<const char*, Change> changes[] = {
            {"speed", Change::Speed}, {"tempo", Change::Tempo}, {"pitch", Change::Pitch}};
        for (int kind = 0; kind < 2; ++kind)
            for (const auto& [name, change] : changes)
                for (double factor : {0.90, 0.95, 0.98, 1.02, 1.05, 1.10})
                    QTest::addRow("%s, %s x%.2f", kinds[kind], name, factor) << kind << change << factor;
    }

    void foundThroughSpeedTempoAndPitchChanges() {
        QFETCH(int, kind);
        QFETCH(Change, change);
        QFETCH(double, factor);
        const Watermarker marker;
        const std::vector<float> original = speechClip(kind, 5.0);
        std::vector<float> marked = original;
        marker.embed(marked);
        const Detection d = marker.detect(changed(quantised16(marked), change, factor), kSignalRate);
        qInfo("search score %.2f at x%.4f (threshold %.1f); synchronous score %.2f", d.searchScore, d.scale,
              d.searchThreshold, d.score);
        QVERIFY2(d.searchDetected, qPrintable(QString::number(d.searchScore)));
        QVERIFY(d.detected);
        // The best factor is the one the change applied to the mark's frequencies: none for a tempo
        // change (WSOLA copies stretches of the input), the resampling's for speed and pitch.
        // Within two steps of the grid (0.00125 apart).
        const double expected = change == Change::Tempo ? 1.0 : appliedFrequencyFactor(factor);
        QVERIFY2(std::abs(d.scale - expected) <= 0.0025, qPrintable(QStringLiteral("%1 vs %2").arg(d.scale).arg(expected)));

        // The same change on the unmarked clip finds nothing.
        if (std::abs(factor - 1.0) > 0.09) {
            const Detection clean = marker.detect(changed(quantised16(original), change, factor), kSignalRate);
            QVERIFY2(!clean.detected, qPrintable(QStringLiteral("%1 / %2").arg(clean.score).arg(clean.searchScore)));
        }
    }

    void synchronousTestAloneLosesTheMark() {
        // Why the search exists: 2 % faster, the synchronous score falls under its threshold.
        const Watermarker marker;
        std::vector<float> marked = speechClip(0, 5.0);
        marker.embed(marked);
        const Detection d = marker.detect(speedChanged(marked, 1.02), kSignalRate);
        QVERIFY2(d.score < d.threshold, qPrintable(QString::number(d.score)));
        QVERIFY(d.searchDetected);
    }

    void noFalsePositiveOnUnmarkedClips() {
        // The thresholds were fixed before this measurement (docs/watermark.md): synchronous 6.0,
        // search 8.0. The null model (frame peak mean 3.84, spread 0.43) was fitted on other clips.
        const int count = qEnvironmentVariableIsSet("ECHOFORGE_WATERMARK_NULL_CLIPS")
            ? qEnvironmentVariableIntValue("ECHOFORGE_WATERMARK_NULL_CLIPS") : 200;
        QVERIFY(count >= 6);
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const QString scratchFile = scratch.filePath(QStringLiteral("clip.ogg"));
        const Watermarker marker;
        std::vector<double> synchronous, searched;
        int found = 0;
        constexpr int kBatch = 50;   // clips held in memory at once
        for (int start = 0; start < count; start += kBatch) {
            std::vector<std::vector<float>> clips;
            for (int i = start; i < std::min(count, start + kBatch); ++i)
                clips.push_back(unmarkedClip(i, scratchFile));
            const std::vector<Detection> detections = detectAll(marker, clips);
            for (std::size_t b = 0; b < detections.size(); ++b) {
                const Detection& d = detections[b];
                synchronous.push_back(d.score);
                searched.push_back(d.searchScore);
                if (d.detected) {
                    ++found;
                    qWarning("false positive on clip %d: synchronous %.2f, search %.2f", start + int(b), d.score,
                             d.searchScore);
                }
            }
        }
        QCOMPARE(int(searched.size()), count);
        std::sort(synchronous.begin(), synchronous.end());
        std::sort(searched.begin(), searched.end());
        auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); };
        qInfo("%d unmarked clips: synchronous mean %.2f max %.2f; search mean %.2f 99th percentile %.2f max %.2f; "
              "found %d", count, mean(synchronous), synchronous.back(), mean(searched),
              searched[std::size_t(0.99 * double(count - 1))], searched.back(), found);
        QCOMPARE(found, 0);
        // Under the null model the search score of one factor is a standardised sum: its mean over
        // clips is near 0 and the best of 161 factors sits a few units up, far under 8.
        QVERIFY(searched.back() < marker.scheme().searchThreshold - 2.0);
        QVERIFY(mean(searched) > -1.0 && mean(searched) < 4.0);
    }
};

QTEST_GUILESS_MAIN(TestWatermarkDesync)
#include "tst_watermark_desync.moc"
