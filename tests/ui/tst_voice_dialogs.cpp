// The voice dialogs driven as a user would: an audition queues its takes as jobs and keeps the
// chosen one as the character's anchor (the gallery's voice state follows); the lexicon editor
// edits both scopes and shows what will be spoken.

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QtTest>

#include "core/voices/character_model.h"
#include "core/voices/voice_anchor.h"
#include "core/voices/voice_library.h"
#include "tests/tasks/engine_fixture.h"
#include "tests/ui/fake_audio_output.h"
#include "ui/player/player_controller.h"
#include "ui/voice/audition_dialog.h"
#include "ui/voice/lexicon_dialog.h"

using namespace echoforge;
using namespace echoforge::ui;

class TestVoiceDialogs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void auditionKeepsTheChosenTake() {
        test::EngineFixture fixture;
        fixture.withCsm = true;
        fixture.csm.frames = 20;   // 1.6 s: long enough to be a voice
        auto tasks = fixture.make();
        FakeAudioOutput output;
        PlayerController player(&output);
        const QString anchors = fixture.dir.filePath("anchors");
        VoiceLibrary library(builtInCharactersDir(), fixture.dir.filePath("voices"));
        CharacterModel characters(&library);
        QAbstractItemModelTester tester(&characters);
        characters.setAnchorsDir(anchors);
        const int row = characters.rowOf("ada");
        QCOMPARE(characters.index(row).data(CharacterModel::VoiceStateRole).toString(), QStringLiteral("none"));

        AuditionDialog dialog(tasks.get(), &player, library.require("ada"), anchors, GenerationParams{});
        QSignalSpy changed(&dialog, &AuditionDialog::voiceChanged);
        QSignalSpy finished(tasks.get(), &TaskEngine::finished);
        dialog.audition(3);
        QCOMPARE(dialog.takes()->rowCount(), 3);
        QVERIFY(test::waitForCount(finished, 3));
        QCoreApplication::processEvents();
        for (int r = 0; r < 3; ++r)
            QVERIFY2(dialog.takes()->item(r)->text().contains(" s"), qPrintable(dialog.takes()->item(r)->text()));
        QCOMPARE(fixture.csmLog->requests.size(), 3);
        for (const SpeechRequest& request : fixture.csmLog->requests)
            QVERIFY(!request.useVoiceAnchor);   // an audition looks for a voice

        QVERIFY(dialog.keepTake(1));
        QCOMPARE(changed.count(), 1);
        const auto kept = AnchorStore(anchors).find("ada");
        QVERIFY(kept && !kept->automatic);
        QCOMPARE(kept->seed, std::optional<std::uint64_t>(fixture.csmLog->requests[1].params.seed));
        characters.refreshVoiceStates();
        QCOMPARE(characters.index(row).data(CharacterModel::VoiceStateRole).toString(), QStringLiteral("chosen"));

        // A second round gets new seeds.
        dialog.audition(1);
        QVERIFY(test::waitForCount(finished, 4));
        QCOMPARE(QSet<std::uint64_t>({*fixture.csmLog->requests[0].params.seed, *fixture.csmLog->requests[1].params.seed,
                                     *fixture.csmLog->requests[2].params.seed, *fixture.csmLog->requests[3].params.seed})
                     .size(),
                 4);
    }

    void lexiconEditorShowsWhatWillBeSpoken() {
        QTemporaryDir dir;
        Character ada;
        ada.id = "ada";
        ada.name = "Ada";
        LexiconDialog dialog(dir.path(), ada, "Dr. Nguyen paid $5 for SQL.");
        QAbstractItemModelTester tester(dialog.entries());
        QCOMPARE(dialog.spokenPreview(), QStringLiteral("doctor Nguyen paid five dollars for S Q L."));
        // Ada's own word
        dialog.entries()->appendRow({new QStandardItem("Nguyen"), new QStandardItem("win")});
        QCOMPARE(dialog.spokenPreview(), QStringLiteral("doctor win paid five dollars for S Q L."));
        // The library's word, for every character
        dialog.setScope(0);
        QCOMPARE(dialog.entries()->rowCount(), 0);
        dialog.entries()->appendRow({new QStandardItem("SQL"), new QStandardItem("sequel")});
        QCOMPARE(dialog.spokenPreview(), QStringLiteral("doctor win paid five dollars for sequel."));
        QVERIFY(dialog.save());
        QCOMPARE(text::voiceLexicon(dir.path(), "ada").apply("Nguyen SQL"), QStringLiteral("win sequel"));
        QCOMPARE(text::voiceLexicon(dir.path(), "bolt").apply("Nguyen SQL"), QStringLiteral("Nguyen sequel"));

        // A bad row is refused with its reason, nothing written.
        dialog.entries()->appendRow({new QStandardItem("two words"), new QStandardItem("x")});
        QVERIFY(!dialog.save());
        QCOMPARE(text::voiceLexicon(dir.path(), {}).size(), 1);
    }
};

QTEST_MAIN(TestVoiceDialogs)
#include "tst_voice_dialogs.moc"
