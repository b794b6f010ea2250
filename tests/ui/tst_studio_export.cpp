// Export, for real: the save dialog answered, the file written and read back, the studio still
// running, and a second export after it, from the player bar and from the history. (Export
// once aborted the studio with "double free or corruption" right after writing the file.)

#include <cmath>

#include <QFileInfo>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/tasks/history_model.h"
#include "studio_fixture.h"
#include "ui/history/history_dock.h"
#include "ui/shell/banner.h"
#include "ui/studio/studio_panel.h"
#include "ui/player/player_controller.h"
#include "ui/studio/generation_controller.h"

namespace {

// 1.5 s of a 220 Hz tone at 24 kHz: a clip whose samples the test knows.
std::vector<float> tone() {
    std::vector<float> out(36000);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = float(0.5 * std::sin(2 * M_PI * 220.0 * double(i) / 24000.0));
    return out;
}

// Presses `button`, answers the save dialog with `path` and waits for the file and the status
// bar's "Saved"; the window must still be there afterwards.
bool exportThrough(Studio& s, QPushButton* button, const QString& path) {
    s.window->statusBar()->clearMessage();   // the last export's "Saved" is not this one's
    const auto answered = answerFileDialog(path);
    QTest::mouseClick(button, Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return s.window->statusBar()->currentMessage() == "Saved " + path; }, 20000)) {
        qWarning() << "no" << path << "saved; status:" << s.window->statusBar()->currentMessage()
                   << "banner:" << s.window->studio()->banner()->message();
        return false;
    }
    QTest::qWait(100);   // the crash came when the writing coroutine ended, after the message
    return *answered && QFileInfo::exists(path) && s.window->isVisible();
}

} // namespace

class TestStudioExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exportsFromThePlayerBarTwice() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        const std::vector<float> clip = tone();
        s.window->player()->setClip(clip, 24000, "Tone");
        auto* button = findByAccessibleName<QPushButton>(s.window.get(), "Export the clip");
        QVERIFY(button && button->isEnabled());
        for (const QString name : {"first.wav", "second.flac"}) {
            const QString path = s.dir.filePath(name);
            QVERIFY2(exportThrough(s, button, path), qPrintable(name));
            const AudioBuffer back = readAudio(path, ChannelMode::MixToMono);
            QCOMPARE(back.sampleRate, 24000);
            QCOMPARE(back.samples.size(), clip.size());
            for (std::size_t i = 0; i < clip.size(); i += 997)
                QVERIFY2(std::abs(back.samples[i] - clip[i]) < 1e-3, qPrintable(QString::number(i)));
        }
    }

    void exportsATakeFromTheHistoryTwice() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        QVERIFY(generateTake(s, "Two exports of one take."));
        HistoryDock* history = s.window->historyDock();
        QVERIFY(history);
        s.window->openPanel("history");
        QTRY_COMPARE(history->view()->model()->rowCount(), 1);
        history->view()->setCurrentIndex(history->view()->model()->index(0, 0));
        const QString takePath = history->view()->model()->index(0, 0).data(HistoryModel::AudioPathRole).toString();
        const AudioBuffer take = readAudio(takePath, ChannelMode::MixToMono);
        QVERIFY(!take.samples.empty());

        auto* button = findByAccessibleName<QPushButton>(history, "Export the take");
        QVERIFY(button && button->isEnabled());
        for (const QString name : {"take-1.wav", "take-2.wav"}) {
            const QString path = s.dir.filePath(name);
            QVERIFY2(exportThrough(s, button, path), qPrintable(name));
            QCOMPARE(readAudio(path, ChannelMode::MixToMono).samples.size(), take.samples.size());
        }
    }
};

QTEST_MAIN(TestStudioExport)
#include "tst_studio_export.moc"
