// The eSpeak NG engine: speech whose length fits the text and is not silent, in 24 kHz chunks,
// with progress, cancellation and a length limit; every built-in character speaks; bad text,
// unknown voices and cloned voices are refused with a sentence.

#include <cmath>

#include <QtTest>

#include "core/audio/audio_buffer.h"
#include "core/audio/loudness.h"
#include "core/common/error.h"
#include "tests/engine/error_sentence.h"
#include "core/engine/espeak_engine.h"
#include "core/engine/speech_text.h"
#include "core/voices/voice_library.h"

using namespace echoforge;
using echoforge::test::errorSentenceOf;

namespace {

Character builtIn(const QString& id) {
    return VoiceLibrary(builtInCharactersDir(), {}).require(id);
}

SpeechRequest requestFor(const QString& text, const Character& c) {
    SpeechRequest r;
    r.text = text;
    r.character = c;
    return r;
}

int wordCount(const QString& text) {
    return int(text.split(' ', Qt::SkipEmptyParts).size());
}

} // namespace

class TestEspeakEngine : public QObject {
    Q_OBJECT
    EspeakEngine engine_;

private Q_SLOTS:
    void identifiesItself() {
        QCOMPARE(engine_.id(), QStringLiteral("espeak"));
        QCOMPARE(engine_.displayName(), QStringLiteral("eSpeak NG"));
        QVERIFY(!engine_.supportsCloning());
        QVERIFY(EspeakEngine::libraryVersion().startsWith("1."));
        QVERIFY(EspeakEngine::voiceNames().contains("en-us"));
    }

    void durationFitsTextAndIsNotSilent_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("short") << "Hello there, nice to meet you.";
        QTest::newRow("paragraph") << "The quick brown fox jumps over the lazy dog. Then it runs into the forest, "
                                      "looks back once, and disappears between the tall old trees before sunset.";
    }
    void durationFitsTextAndIsNotSilent() {
        QFETCH(QString, text);
        Character c = builtIn("marcus");
        const SpeechResult r = engine_.synthesize(requestFor(text, c), {});
        QCOMPARE(r.sampleRate, kOutputSampleRate);
        QCOMPARE(r.engineId, QStringLiteral("espeak"));
        QCOMPARE(r.engineName, QStringLiteral("eSpeak NG"));
        QVERIFY(!r.cancelled);
        // At `rate` words per minute the text lasts about words / rate minutes; allow pauses and pace.
        const double expected = 60.0 * wordCount(text) / c.espeak.rate;
        QVERIFY2(r.durationSeconds() > 0.6 * expected && r.durationSeconds() < 1.8 * expected,
                 qPrintable(QString("%1 s for %2 s expected").arg(r.durationSeconds()).arg(expected)));
        const AudioBuffer audio{r.audio, r.sampleRate, 1};
        QVERIFY(rmsAmplitude(audio) > 0.02);
        QVERIFY(measureLoudness(audio).integratedLufs > -40.0);
        QVERIFY(peakAmplitude(audio) <= 1.0f);
    }

    // "[pause 2s]" adds two seconds of silence where it stands; "[pause]" half a second; brackets
    // that are not a pause are spoken as written, never a crash.
    void pauseMarksInsertSilence() {
        const Character c = builtIn("marcus");
        const SpeechResult plain = engine_.synthesize(requestFor("One short line. Another short line.", c), {});
        const SpeechResult paused = engine_.synthesize(requestFor("One short line. [pause 2s] Another short line.", c), {});
        const double added = paused.durationSeconds() - plain.durationSeconds();
        QVERIFY2(added > 1.7 && added < 2.5, qPrintable(QString::number(added)));
        // The longest run of true silence (|x| < 1e-4) lies in the middle and lasts about 2 s.
        std::size_t longest = 0, run = 0, longestEnd = 0;
        for (std::size_t i = 0; i < paused.audio.size(); ++i) {
            run = std::abs(paused.audio[i]) < 1e-4f ? run + 1 : 0;
            if (run > longest) longest = run, longestEnd = i;
        }
        const double longestSeconds = double(longest) / paused.sampleRate;
        QVERIFY2(longestSeconds >= 1.9 && longestSeconds < 2.6, qPrintable(QString::number(longestSeconds)));
        const double endsAt = double(longestEnd) / paused.sampleRate;
        QVERIFY(endsAt > 2.0 && endsAt < paused.durationSeconds() - 0.3);

        const SpeechResult shortPause = engine_.synthesize(requestFor("One short line. [pause] Another short line.", c), {});
        const double addedShort = shortPause.durationSeconds() - plain.durationSeconds();
        QVERIFY2(addedShort > 0.3 && addedShort < 0.9, qPrintable(QString::number(addedShort)));

        const SpeechResult odd = engine_.synthesize(requestFor("A line [laughs] with [pause x] odd [ marks.", c), {});
        QVERIFY(odd.durationSeconds() > 1.0);
        QVERIFY(rmsAmplitude(AudioBuffer{odd.audio, odd.sampleRate, 1}) > 0.02);
    }

    void fasterRateIsShorter() {
        Character slow = builtIn("ada");
        Character fast = slow;
        slow.espeak.rate = 120;
        fast.espeak.rate = 300;
        const QString text = "Counting slowly from one to ten, and then once again.";
        const double slowSeconds = engine_.synthesize(requestFor(text, slow), {}).durationSeconds();
        const double fastSeconds = engine_.synthesize(requestFor(text, fast), {}).durationSeconds();
        QVERIFY2(fastSeconds < 0.7 * slowSeconds, qPrintable(QString("%1 vs %2").arg(fastSeconds).arg(slowSeconds)));
    }

    void deliversChunksAndProgress() {
        const QString text = "First sentence here. Second sentence follows. And a third one ends it.";
        std::vector<float> joined;
        int chunks = 0;
        QList<SpeechProgress> progress;
        SpeechCallbacks callbacks;
        callbacks.onAudio = [&](std::span<const float> s) {
            ++chunks;
            joined.insert(joined.end(), s.begin(), s.end());
        };
        callbacks.onProgress = [&](const SpeechProgress& p) { progress << p; };
        const SpeechResult r = engine_.synthesize(requestFor(text, builtIn("priya")), callbacks);
        QVERIFY(chunks > 3);
        QCOMPARE(joined, r.audio);
        QCOMPARE(progress.size(), 3);
        QCOMPARE(progress.last().unitsDone, 3);
        QCOMPARE(progress.last().unitsTotal, 3);
        QVERIFY(progress.first().audioSeconds > 0 && progress.first().audioSeconds < progress.last().audioSeconds);
        QVERIFY(r.firstAudioSeconds <= r.generationSeconds);
    }

    void cancelsWithinAChunk() {
        const QString text = "This sentence is long enough to be cut off well before it ends, and so is the next one.";
        const double full = engine_.synthesize(requestFor(text, builtIn("kofi")), {}).durationSeconds();
        int chunks = 0;
        SpeechCallbacks callbacks;
        callbacks.onAudio = [&](std::span<const float>) { ++chunks; };
        callbacks.isCancelled = [&] { return chunks >= 2; };
        const SpeechResult r = engine_.synthesize(requestFor(text, builtIn("kofi")), callbacks);
        QVERIFY(r.cancelled);
        QCOMPARE(chunks, 2);
        QVERIFY(r.durationSeconds() < 0.5 * full);
        // The engine is usable again after a cancel.
        QVERIFY(engine_.synthesize(requestFor("Still here.", builtIn("kofi")), {}).durationSeconds() > 0.3);
    }

    void stopsAtMaxSeconds() {
        SpeechRequest r = requestFor("A fairly long sentence that would take several seconds to say out loud.", builtIn("nora"));
        r.params.maxSeconds = 1.0;
        const SpeechResult result = engine_.synthesize(r, {});
        QCOMPARE(result.audio.size(), std::size_t(kOutputSampleRate));
        QVERIFY(result.notes.join(' ').contains("length limit"));
    }

    void everyBuiltInCharacterSpeaks() {
        for (const Character& c : VoiceLibrary(builtInCharactersDir(), {}).characters()) {
            const SpeechResult r = engine_.synthesize(requestFor("Hello.", c), {});
            QVERIFY2(rmsAmplitude(AudioBuffer{r.audio, r.sampleRate, 1}) > 0.01, qPrintable(c.id));
        }
    }

    void badTextIsRefused_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << "" << "There is no text";
        QTest::newRow("whitespace") << " \t\n  " << "There is no text";
        QTest::newRow("emoji only") << QString::fromUtf8("😀 🎉👍") << "only emoji or symbols";
        QTest::newRow("symbols only") << "... !!! ???" << "only emoji or symbols";
    }
    void badTextIsRefused() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QString error = errorSentenceOf([&] { engine_.synthesize(requestFor(text, builtIn("ada")), {}); });
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void textOverTheLimitIsRefused() {
        const QString megabyte(1 << 20, QChar('a'));
        const QString error = errorSentenceOf([&] { checkSpeakableText(megabyte, 10000); });
        QVERIFY2(error.contains("over the limit of 10000"), qPrintable(error));
        checkSpeakableText(QString(10000, QChar('a')), 10000);   // at the limit is fine
        QCOMPARE(splitIntoSentences(QString::fromUtf8("One. Two! 😀 Three? 🎉")), (QStringList{"One.", "Two!", QString::fromUtf8("😀 Three?")}));
    }

    void unknownVoiceOrVariantIsNamed() {
        Character c = builtIn("ada");
        c.espeak.voice = "xx-nowhere";
        QVERIFY(errorSentenceOf([&] { engine_.synthesize(requestFor("Hi.", c), {}); }).contains("no voice 'xx-nowhere"));
        c = builtIn("ada");
        c.espeak.variant = "nobody";
        QVERIFY(errorSentenceOf([&] { engine_.synthesize(requestFor("Hi.", c), {}); }).contains("no voice variant 'nobody'"));
    }

    void cloningIsRefused() {
        Character clone = builtIn("ada");
        clone.name = "My Clone";
        clone.espeak.voice.clear();
        clone.segments = {ReferenceSegment{"/x/ref.wav", "Hello.", 0}};
        const QString error = errorSentenceOf([&] { engine_.synthesize(requestFor("Hi.", clone), {}); });
        QVERIFY2(error.contains("cannot clone") && error.contains("My Clone"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestEspeakEngine)
#include "tst_espeak_engine.moc"
