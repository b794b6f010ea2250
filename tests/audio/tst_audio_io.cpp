// readAudio/writeAudio: every format round-trips, channels mix, and each bad file gets its sentence.

#include <QTemporaryDir>
#include <limits>

#include <QtTest>
#include <sndfile.h>
#include <unistd.h>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "tests/engine/error_sentence.h"
#include "signals.h"

using namespace echoforge;
using echoforge::test::errorSentenceOf;

namespace {

// Writes with libsndfile directly, for formats EchoForge only reads (OGG, MP3).
bool writeWithSndfile(const QString& path, const AudioBuffer& audio, int format) {
    SF_INFO info{};
    info.samplerate = audio.sampleRate;
    info.channels = audio.channels;
    info.format = format;
    SNDFILE* f = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!f)
        return false;
    const sf_count_t frames = sf_count_t(audio.frames());
    const bool ok = sf_writef_float(f, audio.samples.data(), frames) == frames;
    sf_close(f);
    return ok;
}

} // namespace

class TestAudioIo : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("wav 16-bit") << "a.wav" << int(SampleFormat::Pcm16) << 1.0 / 16384;
        QTest::newRow("wav float") << "b.wav" << int(SampleFormat::Float32) << 0.0;
        QTest::newRow("flac 16-bit") << "c.flac" << int(SampleFormat::Pcm16) << 1.0 / 16384;
        QTest::newRow("flac 24-bit") << "d.flac" << int(SampleFormat::Float32) << 1.0 / 4e6;
    }
    void roundTrip() {
        QFETCH(QString, name);
        QFETCH(int, format);
        QFETCH(double, tolerance);
        const AudioBuffer original = test::sine(440, 0.5, 0.5, 24000, 2);
        const QString path = dir_.filePath(name);
        writeAudio(path, original, SampleFormat(format));
        const AudioBuffer back = readAudio(path);
        QCOMPARE(back.sampleRate, 24000);
        QCOMPARE(back.channels, 2);
        QCOMPARE(back.samples.size(), original.samples.size());
        double worst = 0;
        for (std::size_t i = 0; i < back.samples.size(); ++i)
            worst = std::max(worst, double(std::abs(back.samples[i] - original.samples[i])));
        QVERIFY2(worst <= tolerance, qPrintable(QString("worst difference %1").arg(worst)));
    }

    void readsOggAndMp3_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::newRow("ogg vorbis") << "e.ogg" << (SF_FORMAT_OGG | SF_FORMAT_VORBIS);
        QTest::newRow("mp3") << "f.mp3" << (SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III);
    }
    void readsOggAndMp3() {
        QFETCH(QString, name);
        QFETCH(int, format);
        const QString path = dir_.filePath(name);
        const AudioBuffer original = test::sine(440, 0.5, 1.0, 44100, 2);
        if (!writeWithSndfile(path, original, format))
            QSKIP("this libsndfile cannot write the format, so it cannot be made for the test");
        const AudioBuffer mono = readAudio(path, ChannelMode::MixToMono);
        QCOMPARE(mono.sampleRate, 44100);
        QCOMPARE(mono.channels, 1);
        // Lossy codecs add padding; the length stays within 0.1 s and the tone stays.
        QVERIFY(std::abs(mono.durationSeconds() - 1.0) < 0.1);
        QVERIFY(std::abs(test::toneAmplitude(mono, 440) - 0.5) < 0.05);
    }

    void mixesToMono() {
        AudioBuffer stereo{{1.0f, 0.0f, 0.5f, -0.5f}, 8000, 2};
        const QString path = dir_.filePath("mix.wav");
        writeAudio(path, stereo, SampleFormat::Float32);
        const AudioBuffer mono = readAudio(path, ChannelMode::MixToMono);
        QCOMPARE(mono.channels, 1);
        QCOMPARE(mono.samples, (std::vector<float>{0.5f, 0.0f}));
    }

    void loudFloatChannelsMixWithoutOverflow() {
        // Two channels near FLT_MAX add up past it in float; their mean is FLT_MAX * 0.75.
        const float big = std::numeric_limits<float>::max();
        const QString path = dir_.filePath("huge.wav");
        writeAudio(path, AudioBuffer{{big, big / 2}, 8000, 2}, SampleFormat::Float32);
        const AudioBuffer mono = readAudio(path, ChannelMode::MixToMono);
        QCOMPARE(mono.samples.size(), std::size_t(1));
        QCOMPARE(mono.samples[0], big * 0.75f);
    }

    void nonFiniteSamplesAreRefused_data() {
        QTest::addColumn<float>("bad");
        QTest::newRow("nan") << std::numeric_limits<float>::quiet_NaN();
        QTest::newRow("+inf") << std::numeric_limits<float>::infinity();
        QTest::newRow("-inf") << -std::numeric_limits<float>::infinity();
    }
    void nonFiniteSamplesAreRefused() {
        QFETCH(float, bad);
        const QString path = dir_.filePath("damaged.wav");
        writeAudio(path, AudioBuffer{{0.1f, bad, 0.2f}, 8000, 1}, SampleFormat::Float32);
        QCOMPARE(errorSentenceOf([&] { readAudio(path); }),
                 QStringLiteral("The audio file %1 is damaged: it holds samples that are not numbers (NaN or infinity).").arg(path));
    }

    void clipsInsteadOfWrapping() {
        const QString path = dir_.filePath("loud.wav");
        writeAudio(path, AudioBuffer{{1.5f, -1.5f}, 8000, 1}, SampleFormat::Pcm16);
        const AudioBuffer back = readAudio(path);
        QVERIFY(back.samples[0] > 0.99f);
        QVERIFY(back.samples[1] < -0.99f);
    }

    void badFilesEachSaySo() {
        const QString missing = dir_.filePath("missing.wav");
        QVERIFY(errorSentenceOf([&] { readAudio(missing); }).contains("does not exist"));

        const QString empty = dir_.filePath("empty.wav");
        QFile(empty).open(QIODevice::WriteOnly);
        QVERIFY(errorSentenceOf([&] { readAudio(empty); }).contains("is empty (0 bytes)"));

        const QString text = dir_.filePath("notes.wav");
        QFile t(text);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write("These are words, not sound.\n");
        t.close();
        QVERIFY(errorSentenceOf([&] { readAudio(text); }).contains("is not an audio file"));

        // A WAV header that promises data and holds none: readable header, zero samples.
        const QString headerOnly = dir_.filePath("header-only.wav");
        writeAudio(headerOnly, AudioBuffer{{}, 24000, 1});
        QVERIFY(errorSentenceOf([&] { readAudio(headerOnly); }).contains("holds no sound"));

        QVERIFY(errorSentenceOf([&] { readAudio(dir_.path()); }).contains("is a folder"));
    }

    void unreadableFileSaysSo() {
        if (geteuid() == 0)
            QSKIP("root reads files whatever their permissions");
        const QString path = dir_.filePath("locked.wav");
        writeAudio(path, test::sine(440, 0.5, 0.1, 8000));
        QFile::setPermissions(path, QFileDevice::Permissions{});
        QVERIFY(errorSentenceOf([&] { readAudio(path); }).contains("cannot be read"));
    }

    void writeRefusesUnknownSuffix() {
        QVERIFY(errorSentenceOf([&] { writeAudio(dir_.filePath("x.mp3"), test::sine(440, 0.5, 0.1, 8000)); }).contains(".wav or .flac"));
        QVERIFY(!isWritableAudioSuffix("x.ogg"));
        QVERIFY(isWritableAudioSuffix("X.FLAC"));
    }
};

QTEST_GUILESS_MAIN(TestAudioIo)
#include "tst_audio_io.moc"
