// The waveform player: peaks match a brute-force min/max, streamed peaks equal whole ones, and
// the transport (play, pause, seek, stop, end of clip, no output device) behaves.

#include <cmath>
#include <random>

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

#include "fake_audio_output.h"
#include "ui/player/player_bar.h"
#include "ui/player/player_controller.h"
#include "ui/player/waveform_peaks.h"
#include "ui/player/waveform_view.h"

using namespace echoforge::ui;
using State = PlayerController::State;

namespace {

std::vector<float> noise(std::size_t n, unsigned seed = 7) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    std::vector<float> out(n);
    for (auto& s : out) s = d(rng);
    return out;
}

std::vector<float> sine(double seconds, int rate = 24000) {
    std::vector<float> out(static_cast<std::size_t>(seconds * rate));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = 0.5f * float(std::sin(2 * M_PI * 220 * double(i) / rate));
    return out;
}

} // namespace

class TestWaveformPlayer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Each column's peak holds the true min/max of its samples and stays within the block
    // granularity of the level it was read from.
    void peaksBoundTheSamples_data() {
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("columns");
        QTest::newRow("shorter than a block") << 40 << 10;
        QTest::newRow("partial tail") << 64 * 37 + 13 << 50;
        QTest::newRow("many blocks per column") << 240000 << 300;
        QTest::newRow("more columns than blocks") << 5000 << 900;
    }
    void peaksBoundTheSamples() {
        QFETCH(int, samples);
        QFETCH(int, columns);
        const auto audio = noise(std::size_t(samples));
        WaveformPeaks peaks;
        peaks.append(audio);
        QCOMPARE(peaks.sampleCount(), samples);
        const auto cols = peaks.columns(0, samples, columns);
        QCOMPARE(int(cols.size()), columns);
        const double per = double(samples) / columns;
        for (int c = 0; c < columns; ++c) {
            const auto from = std::size_t(std::floor(c * per));
            const auto to = std::max(from + 1, std::size_t(std::floor((c + 1) * per)));
            if (from >= audio.size()) continue;
            const auto [lo, hi] = std::minmax_element(audio.begin() + long(from), audio.begin() + long(std::min(to, audio.size())));
            QVERIFY2(cols[std::size_t(c)].min <= *lo && cols[std::size_t(c)].max >= *hi,
                     qPrintable(QStringLiteral("column %1 misses its own samples").arg(c)));
        }
    }

    void streamedPeaksEqualWholePeaks() {
        const auto audio = noise(100000, 3);
        WaveformPeaks whole, streamed;
        whole.append(audio);
        for (std::size_t at = 0; at < audio.size(); at += 997)
            streamed.append(std::span<const float>(audio).subspan(at, std::min<std::size_t>(997, audio.size() - at)));
        for (int width : {1, 77, 640, 3000}) {
            const auto a = whole.columns(0, whole.sampleCount(), width);
            const auto b = streamed.columns(0, streamed.sampleCount(), width);
            for (std::size_t i = 0; i < a.size(); ++i) {
                QCOMPARE(a[i].min, b[i].min);
                QCOMPARE(a[i].max, b[i].max);
            }
        }
    }

    void tenMinutesUsesCoarseLevels() {
        WaveformPeaks peaks;
        peaks.append(std::vector<float>(24000 * 600, 0.25f));
        QVERIFY(peaks.levelCount() >= 10);
        const auto cols = peaks.columns(0, peaks.sampleCount(), 1200);
        QCOMPARE(cols.front().max, 0.25f);
        QCOMPARE(cols.back().min, 0.25f);
    }

    void playPauseSeekStop() {
        FakeAudioOutput output;
        PlayerController player(&output);
        QCOMPARE(player.state(), State::Empty);
        player.play();
        QCOMPARE(player.state(), State::Empty);   // nothing to play

        player.setClip(sine(2.0), 24000, "take");
        QCOMPARE(player.state(), State::Stopped);
        QCOMPARE(player.durationFrames(), 48000);
        player.play();
        QCOMPARE(player.state(), State::Playing);
        QTRY_VERIFY(player.positionFrames() > 2400);

        player.pause();
        QCOMPARE(player.state(), State::Paused);
        const qint64 paused = player.positionFrames();
        QTest::qWait(60);
        QCOMPARE(player.positionFrames(), paused);

        player.seekSeconds(1.5);
        QCOMPARE(player.state(), State::Paused);
        QCOMPARE(player.positionFrames(), 36000);
        player.play();
        QCOMPARE(player.state(), State::Playing);
        QVERIFY(player.positionFrames() >= 36000);

        // Played to the end: stopped at the end; play again starts from the beginning.
        QSignalSpy states(&player, &PlayerController::stateChanged);
        QTRY_COMPARE(player.state(), State::Stopped);
        QCOMPARE(player.positionFrames(), 48000);
        player.play();
        QVERIFY(player.positionFrames() < 4800);
        player.stop();
        QCOMPARE(player.state(), State::Stopped);
        QCOMPARE(player.positionFrames(), 0);

        player.togglePlayPause();
        QCOMPARE(player.state(), State::Playing);
        player.togglePlayPause();
        QCOMPARE(player.state(), State::Paused);
    }

    void seekIsClamped() {
        FakeAudioOutput output;
        PlayerController player(&output);
        player.setClip(sine(1.0), 24000);
        player.seekSeconds(-3);
        QCOMPARE(player.positionFrames(), 0);
        player.seekSeconds(99);
        QCOMPARE(player.positionFrames(), 24000);
    }

    void streamingGrowsWhilePlaying() {
        FakeAudioOutput output;
        PlayerController player(&output);
        player.beginStream(24000, "live");
        QVERIFY(player.streaming());
        const auto chunk = sine(0.2);
        player.appendStream(chunk);
        player.play();
        QCOMPARE(player.state(), State::Playing);
        // Past the audio so far, a streaming clip keeps playing (waiting for more)...
        QTest::qWait(300);
        QCOMPARE(player.state(), State::Playing);
        player.appendStream(chunk);
        QCOMPARE(player.durationFrames(), 9600);
        // ...and stops once the stream is finished and played out.
        player.finishStream();
        QTRY_COMPARE(player.state(), State::Stopped);
    }

    void volumeReachesTheOutput() {
        FakeAudioOutput output;
        PlayerController player(&output);
        player.setVolume(0.3);
        QCOMPARE(output.volume(), 0.3);
        player.setVolume(4);
        QCOMPARE(player.volume(), 1.0);
    }

    void withoutOutputThePlayerSaysSo() {
        FakeAudioOutput output(false);
        PlayerController player(&output);
        PlayerBar bar(&player);
        player.setClip(sine(1.0), 24000);
        player.play();
        QCOMPARE(player.state(), State::Stopped);
        QVERIFY(!bar.playButton()->isEnabled());
        const auto labels = bar.findChildren<QLabel*>();
        const bool says = std::any_of(labels.begin(), labels.end(), [](QLabel* l) {
            return !l->isHidden() && l->text() == QStringLiteral("No audio output.");
        });
        QVERIFY(says);
        // Export stays possible: its button is enabled.
        const auto buttons = bar.findChildren<QPushButton*>();
        QVERIFY(std::any_of(buttons.begin(), buttons.end(), [](QPushButton* b) { return b->isEnabled(); }));
    }

    // The device goes away part way through: the player stops where it was, releases the output
    // and shows the sentence; Play goes on from that place and plays to the end.
    void lostOutputStopsThenPlaysAgain() {
        FakeAudioOutput output(true, 4.0);
        PlayerController player(&output);
        PlayerBar bar(&player);
        QSignalSpy failed(&player, &PlayerController::playbackFailed);
        player.setClip(sine(2.0), 24000);
        player.play();
        QTRY_VERIFY(player.positionSeconds() > 0.3);
        const QString sentence = QStringLiteral("The audio output Test speakers stopped while playing.");
        output.unplug(sentence);

        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(0).toString(), sentence);
        QCOMPARE(player.state(), State::Stopped);
        QCOMPARE(player.playbackError(), sentence);
        QVERIFY(!output.running() && !output.hasSource());
        const qint64 reached = player.positionFrames();
        QVERIFY2(reached > 24000 * 3 / 10 && reached < 48000, qPrintable(QString::number(reached)));
        QTest::qWait(100);   // nothing moves while stopped
        QCOMPARE(player.positionFrames(), reached);
        const auto labels = bar.findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(), [&](QLabel* l) { return !l->isHidden() && l->text() == sentence; }));
        QVERIFY(bar.playButton()->isEnabled());

        player.play();
        QCOMPARE(player.state(), State::Playing);
        QVERIFY(output.running());
        QCOMPARE(player.playbackError(), QString());
        QVERIFY(player.positionFrames() >= reached);   // from where it stopped, not from 0
        QTRY_COMPARE_WITH_TIMEOUT(player.state(), State::Stopped, 5000);
        QCOMPARE(player.positionFrames(), player.durationFrames());
        QVERIFY(std::none_of(labels.begin(), labels.end(), [&](QLabel* l) { return !l->isHidden() && l->text() == sentence; }));
    }

    void clickOnTheWaveformSeeks() {
        FakeAudioOutput output;
        PlayerController player(&output);
        WaveformView view(&player);
        view.resize(400, 60);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        player.setClip(sine(4.0), 24000);
        QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(100, 30));
        QCOMPARE(player.positionFrames(), 24000);   // a quarter of 4 s
        QTest::keyClick(&view, Qt::Key_Right);
        QCOMPARE(player.positionFrames(), 96000);   // +5 s, clamped to the end
        QTest::keyClick(&view, Qt::Key_Home);
        QCOMPARE(player.positionFrames(), 0);
    }
};

QTEST_MAIN(TestWaveformPlayer)
#include "tst_waveform_player.moc"
