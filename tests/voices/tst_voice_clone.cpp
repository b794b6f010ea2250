// Cloning: a clip of speech becomes a user character with a 24 kHz mono, loudness-normalised
// reference; clips too short, too long, silent or not audio are refused with their sentence.

#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/audio/loudness.h"
#include "core/audio/resampler.h"
#include "core/common/error.h"
#include "tests/engine/error_sentence.h"
#include "core/engine/espeak_engine.h"
#include "core/voices/voice_clone.h"
#include "core/voices/voice_library.h"

using namespace echoforge;
using echoforge::test::errorSentenceOf;

namespace {

// Real speech to clone from: eSpeak NG reading `text`, written at 44.1 kHz stereo and quiet.
QString speechClip(const QString& path, const QString& text) {
    EspeakEngine engine;
    SpeechRequest request;
    request.text = text;
    request.character = *VoiceLibrary(builtInCharactersDir(), {}).find("marcus");
    const SpeechResult result = engine.synthesize(request, {});
    AudioBuffer stereo = resample(AudioBuffer{result.audio, result.sampleRate, 1}, 44100);
    std::vector<float> interleaved;
    for (float s : stereo.samples)
        interleaved.insert(interleaved.end(), {0.3f * s, 0.3f * s});
    writeAudio(path, AudioBuffer{interleaved, 44100, 2});
    return path;
}

} // namespace

class TestVoiceClone : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private Q_SLOTS:
    void clipBecomesCharacter() {
        const QString clip = speechClip(dir_.filePath("me.wav"),
            "This is a recording of my voice. I am reading a few sentences so that the clip is long enough to clone.");
        QTemporaryDir user;
        VoiceLibrary library(builtInCharactersDir(), user.path());
        CloneRequest request;
        request.name = "Me Myself";
        request.audioPath = clip;
        request.transcript = "This is a recording of my voice.";
        request.gender = "male";
        request.styles = {"Calm"};
        const Character c = cloneCharacter(library, request);
        QCOMPARE(c.id, QStringLiteral("me-myself"));
        QVERIFY(!c.builtIn);
        QCOMPARE(c.styles, (QStringList{"calm", "cloned"}));
        QVERIFY(c.espeak.voice.isEmpty());   // eSpeak NG cannot speak a clone
        QCOMPARE(c.segments.size(), 1);
        QVERIFY(c.segments[0].audioPath.startsWith(user.path()));

        const AudioBuffer stored = readAudio(c.segments[0].audioPath);
        QCOMPARE(stored.sampleRate, kOutputSampleRate);
        QCOMPARE(stored.channels, 1);
        QVERIFY(stored.durationSeconds() >= 3.0 && stored.durationSeconds() <= 30.0);
        // At -16 LUFS with the true peak under -1 dBTP: eSpeak NG's high peaks are limited.
        const LoudnessMeasurement m = measureLoudness(stored);
        QVERIFY2(std::abs(m.integratedLufs - kDefaultLoudnessLufs) < 0.5 && m.truePeakDbtp <= kDefaultPeakCeilingDbtp + 0.05,
                 qPrintable(QString("%1 LUFS, %2 dBTP").arg(m.integratedLufs).arg(m.truePeakDbtp)));
        // The clip was made 10 dB quieter than eSpeak NG speaks: normalising raised it.
        QVERIFY(m.integratedLufs > -25.0);
        // Listed at once by a fresh library too.
        QVERIFY(VoiceLibrary(builtInCharactersDir(), user.path()).find("me-myself"));
    }

    void badClipsAreRefused_data() {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<double>("amplitude");
        QTest::addColumn<QString>("expected");
        QTest::newRow("0.2 s clip") << 0.2 << 0.3 << "is only 0.2 s long";
        QTest::newRow("10-minute clip") << 600.0 << 0.3 << "is 600 s long";
        QTest::newRow("silent clip") << 5.0 << 0.0 << "is silent";
    }
    void badClipsAreRefused() {
        QFETCH(double, seconds);
        QFETCH(double, amplitude);
        QFETCH(QString, expected);
        // A tone stands in for speech: only its length and level matter here. 8 kHz keeps 10 minutes small.
        constexpr int rate = 8000;
        AudioBuffer tone{std::vector<float>(std::size_t(seconds * rate)), rate, 1};
        for (std::size_t i = 0; i < tone.samples.size(); ++i)
            tone.samples[i] = float(amplitude * std::sin(0.3 * double(i)));
        const QString path = dir_.filePath(QStringLiteral("clip-%1.wav").arg(seconds));
        writeAudio(path, tone);
        const QString error = errorSentenceOf([&] { prepareReferenceClip(path); });
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(error.contains("3 to 30 s"));
    }

    void badFilesAndRequestsAreRefused() {
        QTemporaryDir user;
        VoiceLibrary library(builtInCharactersDir(), user.path());
        CloneRequest request{"X", dir_.filePath("none.wav"), "words"};
        QVERIFY(errorSentenceOf([&] { cloneCharacter(library, request); }).contains("does not exist"));
        const QString text = dir_.filePath("text.wav");
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not audio at all, just words");
        f.close();
        request.audioPath = text;
        QVERIFY(errorSentenceOf([&] { cloneCharacter(library, request); }).contains("is not an audio file"));
        request.transcript = " ";
        QVERIFY(errorSentenceOf([&] { cloneCharacter(library, request); }).contains("transcript"));
        request.transcript = "words";
        request.gender = "robot";
        QVERIFY(errorSentenceOf([&] { cloneCharacter(library, request); }).contains("'robot' is not one of"));
        QVERIFY(library.characters().size() == VoiceLibrary(builtInCharactersDir(), {}).characters().size());
    }
};

QTEST_GUILESS_MAIN(TestVoiceClone)
#include "tst_voice_clone.moc"
