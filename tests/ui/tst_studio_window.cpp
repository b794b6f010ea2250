// The whole studio window with the real eSpeak NG engine: Generate puts a row in the queue, the
// row finishes, the player holds the audio; without CSM the engine chip and the banner say that
// eSpeak NG speaks; a take from the history can be reused.

#include <cmath>

#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/engine/espeak_engine.h"
#include "core/tasks/queue_model.h"
#include "core/tasks/task_engine.h"
#include "core/tasks/sample_cache.h"
#include "core/voices/voice_library.h"
#include "studio_fixture.h"
#include "core/voices/character_model.h"
#include "ui/gallery/character_card_delegate.h"
#include "ui/gallery/filter_bar.h"
#include "ui/gallery/gallery_view.h"
#include "ui/main_window.h"
#include "ui/player/player_bar.h"
#include "ui/player/player_controller.h"
#include "ui/shell/banner.h"
#include "ui/shell/header_bar.h"
#include "ui/studio/generation_controller.h"
#include "ui/studio/parameter_panel.h"
#include "ui/studio/studio_panel.h"
#include "ui/studio/text_editor_panel.h"

using namespace echoforge;
using namespace echoforge::ui;


class TestStudioWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void saysWhichEngineSpeaks() {
        Studio s;
        QCOMPARE(s.window->header()->engineText(), QStringLiteral("eSpeak NG"));
        Banner* banner = s.window->studio()->engineBanner();
        QVERIFY(banner->isVisible());
        QVERIFY(banner->message().contains("CSM is not installed"));
    }

    void generateQueuesStreamsAndPlays() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        QVERIFY(!s.window->selectedCharacterId().isEmpty());
        s.window->studio()->editor()->setText("The lighthouse keeper talked to the gulls every morning.");
        QSignalSpy done(s.window->generation(), &GenerationController::takeFinished);
        QSignalSpy rows(s.window->queueModel(), &QAbstractItemModel::rowsInserted);

        // Ctrl+Enter from the editor generates.
        QTest::keyClick(s.window->studio()->editor()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(rows.size(), 1);   // the engine announces the job from its event loop
        QCOMPARE(s.window->queueModel()->index(0).data(QueueModel::CharacterRole).toString(),
                 s.library->find(s.window->selectedCharacterId())->name);
        QVERIFY(done.wait(60000));
        QTRY_COMPARE(s.window->queueModel()->index(0).data(QueueModel::StateRole).toString(), QStringLiteral("finished"));

        PlayerController* player = s.window->player();
        QVERIFY(!player->streaming());
        QVERIFY2(player->durationSeconds() > 1.0, "the take is in the player");
        const auto& audio = player->samples();
        QVERIFY(std::any_of(audio.begin(), audio.end(), [](float x) { return std::abs(x) > 0.05f; }));
        // Space plays it (focus outside text fields).
        s.window->playerBar()->setFocus();
        player->play();
        QCOMPARE(player->state(), PlayerController::State::Playing);
    }

    // The audio device goes away while a take plays: the error banner says so, the player
    // stops, and the studio goes on (a new take is made and plays).
    void lostAudioDeviceIsShownAndTheStudioGoesOn() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        PlayerController* player = s.window->player();
        std::vector<float> tone(24000 * 2);
        for (std::size_t i = 0; i < tone.size(); ++i)
            tone[i] = 0.3f * float(std::sin(2 * M_PI * 440.0 * double(i) / 24000));
        player->setClip(tone, 24000);
        player->play();
        QTRY_VERIFY(player->positionFrames() > 0);
        const QString sentence = QStringLiteral("The audio output Test speakers stopped while playing (it was disconnected "
                                                "or failed); press Play to go on from there.");
        s.output.unplug(sentence);
        QCOMPARE(player->state(), PlayerController::State::Stopped);
        Banner* banner = s.window->studio()->banner();
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->kind(), Banner::Kind::Error);
        QCOMPARE(banner->message(), sentence);

        s.window->studio()->editor()->setText("The gulls came back at noon.");
        QSignalSpy done(s.window->generation(), &GenerationController::takeFinished);
        QTest::keyClick(s.window->studio()->editor()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(done.wait(60000));
        QTRY_VERIFY(player->durationSeconds() > 0.5 && !player->streaming());
        player->play();
        QCOMPARE(player->state(), PlayerController::State::Playing);
        QVERIFY(s.output.running());
    }

    // A card's play button renders the sample once (into the cache), then plays it; the next
    // time it comes from the cache.
    void sampleRendersThenPlaysFromTheCache() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        GalleryView* gallery = s.window->gallery();
        const QModelIndex first = gallery->model()->index(0, 0);
        const QString id = first.data(CharacterModel::IdRole).toString();
        const QRect card = gallery->visualRect(first);
        QTest::mouseClick(gallery->viewport(), Qt::LeftButton, {}, CharacterCardDelegate::playButtonRect(card).center());
        QTRY_VERIFY_WITH_TIMEOUT(s.sampleOutput.running(), 30000);
        const auto character = s.library->find(id);
        QVERIFY(s.samples->find("espeak", *character).has_value());
        // Clicking again stops it.
        QTest::mouseClick(gallery->viewport(), Qt::LeftButton, {}, CharacterCardDelegate::playButtonRect(card).center());
        QVERIFY(!s.sampleOutput.running());
    }

    void emptyTextIsRefusedInWords() {
        Studio s;
        s.window->studio()->editor()->setText("   ");
        s.window->generate();
        Banner* banner = s.window->studio()->banner();
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->kind(), Banner::Kind::Error);
        QVERIFY2(banner->message().contains("There is no text to speak"), qPrintable(banner->message()));
        QCOMPARE(s.window->queueModel()->rowCount(), 0);
    }

    void filterCountFollowsTheChips() {
        Studio s;
        const int all = s.window->characterFilter()->rowCount();
        s.window->filterBar()->searchField()->setText("zzqx");
        QCOMPARE(s.window->characterFilter()->rowCount(), 0);
        s.window->filterBar()->clearFilters();
        QCOMPARE(s.window->characterFilter()->rowCount(), all);
    }
};

QTEST_MAIN(TestStudioWindow)
#include "tst_studio_window.moc"
