// The studio panel's pieces: the parameter sliders and entries produce exactly the request that
// is submitted, presets are kept per character, the script parser reads "Name: text" lines, and
// a script becomes one track made of one job per turn.

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"
#include "fake_audio_output.h"
#include "recording_engine.h"
#include "ui/player/player_controller.h"
#include "ui/studio/generation_controller.h"
#include "ui/studio/labeled_slider.h"
#include "ui/studio/parameter_panel.h"
#include "ui/studio/preset_store.h"
#include "core/tasks/script.h"
#include "ui/studio/text_editor_panel.h"

using namespace echoforge;
using namespace echoforge::ui;

namespace {

struct Rig {
    QTemporaryDir dir;
    std::shared_ptr<RecordedRequests> record = std::make_shared<RecordedRequests>();
    VoiceLibrary library{builtInCharactersDir(), dir.filePath("voices")};
    TaskEngine tasks{EngineSet{[record = record](const LoadProgress&) -> std::unique_ptr<SpeechEngine> {
                                   return std::make_unique<RecordingEngine>(record);
                               },
                               {}},
                     TaskEngineConfig{}};
    FakeAudioOutput output;
    PlayerController player{&output};
    GenerationController generation{&tasks, &library, &player};

    QString firstCharacter() const { return library.characters().front().id; }
};

} // namespace

class TestStudioWidgets : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void slidersAndEntriesStayTogether() {
        LabeledSlider s("Temperature", SliderRange{0.1, 1.5, 0.9, 0.01, 2});
        QCOMPARE(s.value(), 0.9);
        s.slider()->setValue(s.slider()->maximum());
        QCOMPARE(s.entry()->value(), 1.5);
        s.entry()->setValue(0.35);
        QCOMPARE(s.slider()->value(), 25);    // (0.35 - 0.1) / 0.01
        s.resetButton()->click();
        QCOMPARE(s.value(), 0.9);
        s.entry()->setValue(7);               // clamped by the entry
        QCOMPARE(s.value(), 1.5);
    }

    void defaultsAndRanges() {
        QTemporaryDir dir;
        QSettings store(dir.filePath("s.ini"), QSettings::IniFormat);
        PresetStore presets(store);
        ParameterPanel panel(ParameterDefaults{}, &presets);
        const GenerationParams p = panel.params();
        QCOMPARE(p.temperature, 0.9);
        QCOMPARE(p.topK, 50);
        QVERIFY(!p.seed.has_value());
        QCOMPARE(p.maxSeconds, 30.0);
        QCOMPARE(panel.temperature()->entry()->minimum(), 0.1);
        QCOMPARE(panel.temperature()->entry()->maximum(), 1.5);
        QCOMPARE(panel.topK()->entry()->minimum(), 1.0);
        QCOMPARE(panel.topK()->entry()->maximum(), 200.0);
    }

    void diceFixesTheSeed() {
        QTemporaryDir dir;
        QSettings store(dir.filePath("s.ini"), QSettings::IniFormat);
        PresetStore presets(store);
        ParameterPanel panel(ParameterDefaults{}, &presets);
        panel.dice()->click();
        QVERIFY(!panel.randomSeed()->isChecked());
        QVERIFY(panel.params().seed.has_value());
        QCOMPARE(*panel.params().seed, std::uint64_t(panel.seed()->value()));
        panel.randomSeed()->setChecked(true);
        QVERIFY(!panel.params().seed.has_value());
    }

    void presetsArePerCharacter() {
        QTemporaryDir dir;
        QSettings store(dir.filePath("s.ini"), QSettings::IniFormat);
        PresetStore presets(store);
        presets.save("ada", {"Whisper", 0.4, 12});
        QCOMPARE(presets.presetsFor("ada").size(), builtInPresets().size() + 1);
        QCOMPARE(presets.presetsFor("bolt").size(), builtInPresets().size());

        ParameterPanel panel(ParameterDefaults{}, &presets);
        panel.setCharacter("ada");
        const int row = panel.presetBox()->findText("Whisper", Qt::MatchStartsWith);
        QVERIFY(row >= 0);
        panel.presetBox()->setCurrentIndex(row);
        Q_EMIT panel.presetBox()->activated(row);
        QCOMPARE(panel.params().temperature, 0.4);
        QCOMPARE(panel.params().topK, 12);
        // Moving a slider away from every preset shows "Custom".
        panel.temperature()->setValue(1.33);
        QCOMPARE(panel.presetBox()->currentText(), QStringLiteral("Custom"));
        presets.remove("ada", "Whisper");
        QCOMPARE(presets.presetsFor("ada").size(), builtInPresets().size());
    }

    void sliderValuesReachTheSubmittedRequest() {
        Rig rig;
        QSettings store(rig.dir.filePath("s.ini"), QSettings::IniFormat);
        PresetStore presets(store);
        ParameterPanel panel(ParameterDefaults{}, &presets);
        panel.temperature()->slider()->setValue(60);     // 0.1 + 60 * 0.01
        panel.topK()->entry()->setValue(123);
        panel.randomSeed()->setChecked(false);
        panel.seed()->setValue(4242);
        panel.maxLength()->setValue(12);

        QSignalSpy done(&rig.generation, &GenerationController::takeFinished);
        QVERIFY(rig.generation.generateText("Hello there.", rig.firstCharacter(), panel.params()));
        QVERIFY(done.wait(20000));
        const auto requests = rig.record->all();
        QCOMPARE(requests.size(), 1);
        const GenerationParams& p = requests.front().params;
        QCOMPARE(p.temperature, 0.7);
        QCOMPARE(p.topK, 123);
        QCOMPARE(p.seed.value_or(0), std::uint64_t(4242));
        QCOMPARE(p.maxSeconds, 12.0);
        QCOMPARE(requests.front().text, QStringLiteral("Hello there."));
        QCOMPARE(requests.front().character.id, rig.firstCharacter());
        // The streamed take is in the player, whole.
        QCOMPARE(rig.player.durationFrames(), RecordingEngine::kSamples);
        QVERIFY(!rig.player.streaming());
    }

    void refusedRequestsSayWhy() {
        Rig rig;
        QSignalSpy failed(&rig.generation, &GenerationController::failed);
        QVERIFY(!rig.generation.generateText("   ", rig.firstCharacter(), {}));
        QCOMPARE(failed.size(), 1);
        const QString noText = failed.front().front().toString();
        QVERIFY2(noText.contains("There is no text to speak"), qPrintable(noText));
        QVERIFY(!rig.generation.generateText("Hello", "nobody-at-all", {}));
        QCOMPARE(failed.size(), 2);
        const QString nobody = failed.back().front().toString();
        QCOMPARE(nobody, QStringLiteral("Pick a character in the gallery first."));
    }

    void parseScript_data() {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QStringList>("speakers");
        QTest::addColumn<QStringList>("texts");
        QTest::addColumn<bool>("error");
        QTest::newRow("two turns") << "Ada: Hello.\nBolt: Hi!" << QStringList{"Ada", "Bolt"}
                                   << QStringList{"Hello.", "Hi!"} << false;
        QTest::newRow("blank lines and spaces") << "\n  Ada :  Hello. \n\n Bolt:Hi" << QStringList{"Ada", "Bolt"}
                                                << QStringList{"Hello.", "Hi"} << false;
        QTest::newRow("continued turn") << "Ada: One\ntwo three" << QStringList{"Ada"} << QStringList{"One two three"} << false;
        QTest::newRow("no speaker") << "Hello there" << QStringList{} << QStringList{} << true;
        QTest::newRow("nothing to say") << "Ada:" << QStringList{"Ada"} << QStringList{""} << true;
        QTest::newRow("empty") << "  \n " << QStringList{} << QStringList{} << true;
        QTest::newRow("time in text") << "Ada: Meet at 10:30." << QStringList{"Ada"} << QStringList{"Meet at 10:30."} << false;
    }
    void parseScript() {
        QFETCH(QString, script);
        QFETCH(QStringList, speakers);
        QFETCH(QStringList, texts);
        QFETCH(bool, error);
        const ScriptParse parse = echoforge::parseScript(script);
        QCOMPARE(!parse.error.isEmpty(), error);
        if (error) return;
        QCOMPARE(parse.turns.size(), speakers.size());
        for (int i = 0; i < speakers.size(); ++i) {
            QCOMPARE(parse.turns[i].speaker, speakers[i]);
            QCOMPARE(parse.turns[i].text, texts[i]);
        }
    }

    void estimateGrowsWithText() {
        QCOMPARE(estimateSpeechSeconds(""), 0.0);
        const double one = estimateSpeechSeconds("The quick brown fox jumps over the lazy dog.");
        QVERIFY(one > 2 && one < 6);
        QVERIFY(estimateSpeechSeconds(QString("The quick brown fox jumps over the lazy dog. ").repeated(10)) > 9 * one);
    }

    void editorCountsAndEstimates() {
        TextEditorPanel editor(20);
        editor.setText("Hello there, friend.");
        QVERIFY(editor.statusText().startsWith(QStringLiteral("≈")));
        editor.setMode(TextEditorPanel::Mode::Script);
        editor.setText("no speaker here");
        QVERIFY(editor.statusText().contains("no speaker"));
        editor.setText("Ada: Hello.\nBolt: Hi.");
        QVERIFY(editor.statusText().contains("2 turns"));
    }

    void scriptBecomesOneTrackWithContext() {
        Rig rig;
        const QList<Character> all = rig.library.characters();
        QVERIFY(all.size() >= 2);
        const QString script = QStringLiteral("%1: Did you hear that?\n%2: Only the sea.\n%1: Then why is it singing?")
                                   .arg(all[0].name, all[1].name.section(' ', 0, 0));
        QSignalSpy done(&rig.generation, &GenerationController::takeFinished);
        QVERIFY(rig.generation.generateScript(script, {}));
        QVERIFY(done.wait(30000));
        const auto requests = rig.record->all();
        QCOMPARE(requests.size(), 3);
        QCOMPARE(requests[0].character.id, all[0].id);
        QCOMPARE(requests[1].character.id, all[1].id);
        QCOMPARE(requests[2].extraContext.size(), 2);
        QCOMPARE(requests[2].extraContext[1].transcript, QStringLiteral("Only the sea."));
        QCOMPARE(requests[0].character.csmSpeakerId, 0);
        QCOMPARE(requests[1].character.csmSpeakerId, 1);
        QCOMPARE(requests[2].character.csmSpeakerId, 0);
        const qint64 pause = qint64(GenerationController::kTurnPauseSeconds * 24000);
        QCOMPARE(rig.player.durationFrames(), 3 * RecordingEngine::kSamples + 2 * pause);
    }

    void unknownScriptSpeakerIsNamed() {
        Rig rig;
        QSignalSpy failed(&rig.generation, &GenerationController::failed);
        QVERIFY(!rig.generation.generateScript("Zebedee Q: Hello.", {}));
        QVERIFY(failed.front().front().toString().contains("Zebedee Q"));
    }
};

QTEST_MAIN(TestStudioWidgets)
#include "tst_studio_widgets.moc"
