// The whole CSM path with a tiny random CSM (full Llama 3 text vocabulary) and the tiny Mimi:
// tokens → frames → codes → streamed audio → file; context from a cloned clip; long text split
// and joined; cancellation mid-stream; retakes; watermark; `say --engine csm` end to end.

#include <cmath>
#include <random>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "core/generation/csm_engine.h"
#include "core/generation/watermark.h"
#include "tiny_model_folder.h"
#include "watermark_margin.h"

using namespace echoforge;

namespace {

std::vector<float> speechLikeClip(double seconds, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.f, 0.08f);
    std::vector<float> pcm(std::size_t(seconds * kOutputSampleRate));
    for (std::size_t i = 0; i < pcm.size(); ++i) {
        const double t = double(i) / kOutputSampleRate;
        const double syllable = std::fmod(t, 0.3) < 0.22 ? 1.0 : 0.05;
        pcm[i] = float(syllable * (0.3 * std::sin(2 * M_PI * 140 * t) + noise(rng)));
    }
    return pcm;
}

struct Collected {
    std::size_t samples = 0;
    int chunks = 0;
    int lastFrame = 0;
    int frameAtFirstChunk = -1;
};

SpeechCallbacks collecting(Collected& c, std::function<bool()> cancel = {}) {
    SpeechCallbacks cb;
    cb.onAudio = [&c](std::span<const float> s) {
        if (c.frameAtFirstChunk < 0)
            c.frameAtFirstChunk = c.lastFrame;
        c.samples += s.size();
        ++c.chunks;
    };
    cb.onProgress = [&c](const SpeechProgress& p) { c.lastFrame = p.unitsDone; };
    cb.isCancelled = std::move(cancel);
    return cb;
}

} // namespace

class TestCsmEngine : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<CsmEngine> engine_;

    SpeechRequest request(const QString& text, double maxSeconds, std::optional<std::uint64_t> seed = 7) {
        SpeechRequest r;
        r.text = text;
        r.character.id = "tester";
        r.character.csmSpeakerId = 0;
        r.params.seed = seed;
        r.params.maxSeconds = maxSeconds;
        return r;
    }

private Q_SLOTS:
    void initTestCase() {
        const QString error = testing::writeTinyModelFolder(dir_.filePath("models"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        CsmEngineOptions options;
        options.modelsDir = dir_.filePath("models");
        options.cacheDir = dir_.filePath("cache");
        options.maxTakeAttempts = 2;
        options.threads = 1;
        engine_ = CsmEngine::load(options);
        QVERIFY(!engine_->modelIdentity().isEmpty());
    }

    void speaksStreamsAndMarks() {
        Collected c;
        std::vector<float> streamed;
        SpeechCallbacks callbacks = collecting(c);
        callbacks.onAudio = [&streamed, count = callbacks.onAudio](std::span<const float> s) {
            streamed.insert(streamed.end(), s.begin(), s.end());
            count(s);
        };
        const SpeechResult r = engine_->synthesize(request("Hello there, this is a test of the engine.", 6.0), callbacks);
        QCOMPARE(r.engineId, QStringLiteral("csm"));
        QCOMPARE(r.seed, std::uint64_t(7));
        const QString seen = QStringLiteral("%1 chunks, %2 frames, %3 samples, notes: %4")
                                 .arg(c.chunks).arg(c.lastFrame).arg(c.samples).arg(r.notes.join(' '));
        // Streamed while generating, not at the end. (The tiny Mimi runs at 200 Hz, so the
        // resampler to 24 kHz holds back a few frames; the real Mimi needs no resampling.)
        QVERIFY2(c.lastFrame > 10, qPrintable(seen));
        QVERIFY2(c.chunks > 1 && c.frameAtFirstChunk < c.lastFrame, qPrintable(seen));
        // Each 80 ms frame is 1,920 samples at 24 kHz (give or take the resampler's delay).
        QVERIFY2(std::abs(double(c.samples) - 1920.0 * c.lastFrame) <= 1920.0 * 2, qPrintable(seen));
        QVERIFY(r.firstAudioSeconds > 0 && r.firstAudioSeconds < r.generationSeconds);
        QVERIFY(!r.audio.empty());
        for (float s : r.audio)
            QVERIFY(std::isfinite(s) && std::abs(s) <= 1.0f);
        // Every CSM output carries the watermark; the streamed preview's chunks do too.
        QVERIFY2(r.durationSeconds() >= 3.0, qPrintable(seen));
        // Found with a margin (watermark_margin.h), on the result and on the streamed chunks.
        QCOMPARE(testing::markMarginShortfall(r.audio), QString());
        QCOMPARE(testing::markMarginShortfall(streamed), QString());
        QVERIFY(!Watermarker(0x1234).detect(r.audio, kOutputSampleRate).detected);
    }

    void sameSeedIsServedFromCache() {
        Collected first, second;
        const auto a = engine_->synthesize(request("The cache keeps finished takes.", 3.0, 99), collecting(first));
        const auto b = engine_->synthesize(request("The cache keeps finished takes.", 3.0, 99), collecting(second));
        QVERIFY(!a.notes.contains("Served from the cache of finished takes."));
        QVERIFY(b.notes.contains("Served from the cache of finished takes."));
        QCOMPARE(b.audio, a.audio);
        QCOMPARE(second.samples, b.audio.size());
    }

    void sameSeedSameCodesWithoutCache() {
        // Two engines with separate caches: the same seed must give the same audio.
        CsmEngineOptions options;
        options.modelsDir = dir_.filePath("models");
        options.cacheDir = dir_.filePath("cache-other");
        options.threads = 1;
        auto other = CsmEngine::load(options);
        Collected c1, c2;
        const auto a = engine_->synthesize(request("Determinism matters.", 2.0, 1234), collecting(c1));
        const auto b = other->synthesize(request("Determinism matters.", 2.0, 1234), collecting(c2));
        QCOMPARE(b.audio, a.audio);
    }

    void cancelsMidStream() {
        Collected c;
        const auto r = engine_->synthesize(request("Cancel me in the middle of this long sentence please.", 20.0, std::nullopt),
                                           collecting(c, [&c] { return c.lastFrame >= 5; }));
        QVERIFY(r.cancelled);
        QCOMPARE(c.lastFrame, 5);  // the cancel landed within one frame
    }

    void clonedClipBecomesContext() {
        const QString clip = dir_.filePath("clip.wav");
        writeAudio(clip, AudioBuffer{speechLikeClip(3.5, 5), kOutputSampleRate, 1});
        QVERIFY(!engine_->prepareReference(clip));   // encoded now
        QVERIFY(engine_->prepareReference(clip));    // and found in the cache later
        QVERIFY(!QDir(dir_.filePath("cache/clone-codes")).entryList({"*.codes"}).isEmpty());

        SpeechRequest r = request("Now speak in the cloned voice.", 3.0, 3);
        r.character.segments.append({clip, "A clip of speech-like sound.", 0});
        Collected c;
        const auto withContext = engine_->synthesize(r, collecting(c));
        const auto without = engine_->synthesize(request("Now speak in the cloned voice.", 3.0, 3), collecting(c));
        QVERIFY(!withContext.audio.empty());
        QVERIFY(withContext.audio != without.audio);  // the context changed what was generated
    }

    void contextTooLongSaysHowMuchToShorten() {
        const QString clip = dir_.filePath("long.wav");
        writeAudio(clip, AudioBuffer{speechLikeClip(40.0, 6), kOutputSampleRate, 1});
        SpeechRequest r = request("Short text.", 3.0);
        r.character.segments.append({clip, "A long clip.", 0});
        Collected c;
        try {
            engine_->synthesize(r, collecting(c));
            QFAIL("a 40 s reference clip cannot fit a 512-frame window");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains("shorten"), qPrintable(e.sentence()));
        }
    }

    void longTextIsSplitAndJoined() {
        CsmEngineOptions options;
        options.modelsDir = dir_.filePath("models");
        options.cacheDir = dir_.filePath("cache-long");
        options.maxTakeAttempts = 1;
        options.threads = 1;
        auto engine = CsmEngine::load(options);
        QString text;
        for (int p = 0; p < 2; ++p) {
            for (int s = 0; s < 3; ++s)
                text += QStringLiteral("Paragraph %1 says sentence %2 with a handful of words. ").arg(p).arg(s);
            text += "\n\n";
        }
        Collected c;
        const auto r = engine->synthesize(request(text, 40.0), collecting(c));
        const QString notes = r.notes.join(' ');
        QVERIFY2(notes.contains("pieces"), qPrintable(notes));
        QVERIFY(r.durationSeconds() > 2.0);
    }

    void emptyTextRefused() {
        Collected c;
        QVERIFY_THROWS_EXCEPTION(Error, engine_->synthesize(request("   ", 3.0), collecting(c)));
    }

    void sayWithCsmEndToEnd() {
        const QString cli = QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-cli");
        QProcess voices;
        voices.start(cli, {"voices", "--json"});
        QVERIFY(voices.waitForFinished(60000));
        const QJsonDocument doc = QJsonDocument::fromJson(voices.readAllStandardOutput());
        const QJsonArray list = doc.isArray() ? doc.array() : doc.object()["characters"].toArray();
        QVERIFY(!list.isEmpty());
        const QString voice = list.first().toObject()["id"].toString();

        const QString out = dir_.filePath("say.wav");
        QProcess say;
        say.start(cli, {"say", "--text", "Hello from the command line.", "--voice", voice, "--engine", "csm",
                        "--model-dir", dir_.filePath("models"), "--seed", "5", "--max-seconds", "4", "-o", out});
        QVERIFY(say.waitForFinished(420000));
        const QString stdoutText = QString::fromUtf8(say.readAllStandardOutput());
        QVERIFY2(say.exitCode() == 0, qPrintable(QString::fromUtf8(say.readAllStandardError())));
        QVERIFY(stdoutText.contains(out));
        QVERIFY(stdoutText.contains("CSM"));
        const AudioBuffer written = readAudio(out);
        QCOMPARE(written.sampleRate, kOutputSampleRate);
        QVERIFY(written.durationSeconds() > 0.1);
    }
};

QTEST_GUILESS_MAIN(TestCsmEngine)
#include "tst_csm_engine.moc"
