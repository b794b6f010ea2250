// echoforge-cli watermark: verdict, score and exit codes (0 found, 1 not found, 2 error), embed
// then detect through files at other rates and channel counts, and a clip played 5 % faster.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/generation/watermark.h"
#include "tst_watermark_signals.h"

using namespace echoforge;
using namespace echoforge::testing;

class TestWatermarkCli : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    static Run cli(const QStringList& args) {
        QProcess p;
        p.start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-cli"), QStringList{"watermark"} + args);
        if (!p.waitForFinished(60000))
            return {};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    QString writeClip(const QString& name, std::vector<float> pcm, int rate, int channels = 1) {
        if (rate != kSignalRate)
            pcm = resampled(pcm, kSignalRate, rate);
        AudioBuffer audio{{}, rate, channels};
        for (float s : pcm)
            for (int c = 0; c < channels; ++c)
                audio.samples.push_back(s * (c == 0 ? 1.0f : 0.5f));
        const QString path = dir_.filePath(name);
        writeAudio(path, audio);
        return path;
    }

private Q_SLOTS:
    void unmarkedSpeechIsNotFound() {
        const Run r = cli({"detect", writeClip("clean.wav", formantSpeech(21, 4.0), 24000)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("watermark not found (score "), qPrintable(r.out));
    }

    void embedThenDetectAt44kStereo() {
        const QString clean = writeClip("clean44.wav", formantSpeech(22, 4.0), 44100, 2);
        const QString marked = dir_.filePath("marked44.wav");
        const Run embed = cli({"embed", clean, marked});
        QVERIFY2(embed.exitCode == 0, qPrintable(embed.err));
        QCOMPARE(readAudio(marked).channels, 2);
        QCOMPARE(readAudio(marked).sampleRate, 44100);
        const Run found = cli({"detect", marked});
        QVERIFY2(found.exitCode == 0, qPrintable(found.out + found.err));
        QVERIFY(found.out.contains("watermark found (score "));
        QCOMPARE(cli({"detect", clean}).exitCode, 1);
    }

    void foundAfterASpeedChange() {
        // Marked, then played 5 % faster: the search over time scales finds it and says at which
        // factor (the resampling's, 24000 / 22857).
        std::vector<float> pcm = formantSpeech(24, 4.0);
        Watermarker().embed(pcm);
        const Run r = cli({"detect", writeClip("faster.wav", speedChanged(pcm, 1.05), 24000)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("watermark found (score ") && r.out.contains("scale search ") &&
                     r.out.contains(" at x1.0500, threshold 8.00)"),
                 qPrintable(r.out));
    }

    void keysAreSeparate() {
        const QString clean = writeClip("clean16.wav", formantSpeech(23, 4.0), 16000);
        const QString marked = dir_.filePath("marked16.flac");
        QCOMPARE(cli({"embed", "--key", "my studio", clean, marked}).exitCode, 0);
        QCOMPARE(cli({"detect", "--key", "my studio", marked}).exitCode, 0);
        QCOMPARE(cli({"detect", marked}).exitCode, 1);
        QCOMPARE(cli({"detect", "--key-hex", "4543484F464F5247", marked}).exitCode, 1);
    }

    void errorsExitWithTwo() {
        QCOMPARE(cli({"detect", dir_.filePath("missing.wav")}).exitCode, 2);
        QFile text(dir_.filePath("not-audio.wav"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("this is not a sound file");
        text.close();
        const Run notAudio = cli({"detect", text.fileName()});
        QCOMPARE(notAudio.exitCode, 2);
        QVERIFY(notAudio.err.contains("not-audio.wav"));
        QCOMPARE(cli({"detect"}).exitCode, 2);
        QCOMPARE(cli({"frobnicate", "x"}).exitCode, 2);
        QCOMPARE(cli({"detect", "--no-such-option", "x"}).exitCode, 2);
        QCOMPARE(cli({"detect", "--key-hex", "xyz", text.fileName()}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestWatermarkCli)
#include "tst_watermark_cli.moc"
