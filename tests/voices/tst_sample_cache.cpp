// SampleCache: the first request renders the sample with the engine, later ones read the file;
// another text or voice setting renders anew.

#include <cmath>

#include <QRandomGenerator>
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

    // A damaged sample file is a miss, never played: cut short (a crash or a full disk while it
    // was written), overwritten with other bytes, or a header alone. The next obtain() renders it
    // again into a whole file about as long as the first (eSpeak NG's output varies by a few
    // milliseconds from run to run: 80,543 to 80,925 samples measured; 2% allows for that).
    void damagedSampleIsRenderedAgain_data() {
        QTest::addColumn<QString>("damage");
        QTest::newRow("truncated") << "truncated";
        QTest::newRow("garbage") << "garbage";
        QTest::newRow("header only") << "header only";
    }
    void damagedSampleIsRenderedAgain() {
        QFETCH(QString, damage);
        QTemporaryDir cacheDir;
        SampleCache cache(cacheDir.path());
        CountingEngine engine;
        const Character c = VoiceLibrary(builtInCharactersDir(), {}).require("maeve");
        const QString path = cache.obtain(engine, c);
        const AudioBuffer first = readAudio(path);

        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        if (damage == "truncated") {
            QVERIFY(f.resize(size / 2));
        } else if (damage == "garbage") {
            QByteArray noise(int(size), Qt::Uninitialized);
            QRandomGenerator(3).fillRange(reinterpret_cast<quint32*>(noise.data()), noise.size() / 4);
            QCOMPARE(f.write(noise), size);
        } else {
            QVERIFY(f.resize(44));
        }
        f.close();

        QVERIFY(!cache.find("espeak", c));
        QVERIFY(!QFile::exists(path));   // dropped, not left to be found again
        QCOMPARE(cache.obtain(engine, c), path);
        QCOMPARE(engine.calls, 2);
        const AudioBuffer again = readAudio(path);
        QCOMPARE(again.sampleRate, first.sampleRate);
        QVERIFY2(std::abs(double(again.samples.size()) / double(first.samples.size()) - 1) < 0.02,
                 qPrintable(QStringLiteral("%1 samples, the first had %2").arg(again.samples.size()).arg(first.samples.size())));
        QCOMPARE(*cache.find("espeak", c), path);
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
