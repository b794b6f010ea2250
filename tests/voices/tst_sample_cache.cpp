// SampleCache: the first request renders the sample with the engine, later ones read the file;
// another text or voice setting renders anew.

#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "core/engine/espeak_engine.h"
#include "core/tasks/sample_cache.h"
#include "core/voices/voice_library.h"

using namespace echoforge;

namespace {

// The eSpeak NG engine, counting how often it is asked to speak.
class CountingEngine : public SpeechEngine {
public:
    int calls = 0;
    QString id() const override { return inner_.id(); }
    QString displayName() const override { return inner_.displayName(); }
    bool supportsCloning() const override { return false; }
    SpeechResult synthesize(const SpeechRequest& request, const SpeechCallbacks& callbacks) override {
        ++calls;
        return inner_.synthesize(request, callbacks);
    }

private:
    EspeakEngine inner_;
};

} // namespace

class TestSampleCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rendersOnceThenReads() {
        QTemporaryDir cacheDir;
        SampleCache cache(cacheDir.path());
        CountingEngine engine;
        Character c = VoiceLibrary(builtInCharactersDir(), {}).require("maeve");

        QVERIFY(!cache.find("espeak", c));
        const QString path = cache.obtain(engine, c);
        QCOMPARE(engine.calls, 1);
        QVERIFY(path.startsWith(cacheDir.filePath("samples/espeak-maeve-")));
        const AudioBuffer sample = readAudio(path);
        QCOMPARE(sample.sampleRate, kOutputSampleRate);
        QVERIFY(sample.durationSeconds() > 1.0);

        QCOMPARE(cache.obtain(engine, c), path);
        QCOMPARE(engine.calls, 1);
        QCOMPARE(*SampleCache(cacheDir.path()).find("espeak", c), path);   // kept on disk

        c.sampleText = "A different line.";
        QVERIFY(cache.obtain(engine, c) != path);
        QCOMPARE(engine.calls, 2);
        c.espeak.pitch += 10;
        cache.obtain(engine, c);
        QCOMPARE(engine.calls, 3);
        QVERIFY(cache.pathFor("csm", c) != cache.pathFor("espeak", c));
    }

    void cancelledRenderStoresNothing() {
        QTemporaryDir cacheDir;
        SampleCache cache(cacheDir.path());
        EspeakEngine engine;
        const Character c = VoiceLibrary(builtInCharactersDir(), {}).require("tom");
        SpeechCallbacks callbacks;
        callbacks.isCancelled = [] { return true; };
        QVERIFY_THROWS_EXCEPTION(Error, cache.obtain(engine, c, callbacks));
        QVERIFY(!cache.find("espeak", c));
    }
};

QTEST_GUILESS_MAIN(TestSampleCache)
#include "tst_sample_cache.moc"
