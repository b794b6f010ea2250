// The cloning wizard saves a character from an imported file: the clip is checked, trimmed,
// transcribed, and the new character (with its reference segment) is in the library.

#include <cmath>

#include <QAccessible>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"
#include "fake_audio_output.h"
#include "recording_engine.h"
#include "core/voices/clip_checks.h"
#include "ui/clone/clone_profile_page.h"
#include "ui/clone/clone_source_page.h"
#include "ui/clone/clone_trim_page.h"
#include "ui/clone/clone_wizard.h"
#include "ui/clone/trim_view.h"
#include "ui/player/player_controller.h"

using namespace echoforge;
using namespace echoforge::ui;

namespace {

// Something speech-like: a voiced tone whose loudness rises and falls like syllables.
std::vector<float> syllables(double seconds, int rate, double noise = 0.0) {
    std::vector<float> out(static_cast<std::size_t>(seconds * rate));
    unsigned state = 1;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double t = double(i) / rate;
        const double envelope = 0.5 * (1 - std::cos(2 * M_PI * 3.0 * t));
        state = state * 1103515245u + 12345u;
        const double hiss = noise * (double((state >> 8) & 0xffff) / 32768.0 - 1.0);
        out[i] = float(0.4 * envelope * (std::sin(2 * M_PI * 140 * t) + 0.5 * std::sin(2 * M_PI * 280 * t)) + hiss);
    }
    return out;
}

} // namespace

class TestCloneWizard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void checksExplainProblems() {
        const int rate = 24000;
        QVERIFY(checkClip(syllables(6, rate), rate).ok());
        QVERIFY(checkClip(syllables(6, rate), rate).warnings.isEmpty());
        const ClipCheck tooShort = checkClip(syllables(1.5, rate), rate);
        QVERIFY(!tooShort.ok());
        QVERIFY(tooShort.problems.front().contains("at least 3 s"));
        QVERIFY(!checkClip(syllables(31, rate), rate).ok());

        auto quiet = syllables(6, rate);
        for (float& x : quiet) x *= 0.001f;
        QVERIFY(checkClip(quiet, rate).problems.join(' ').contains("quiet"));

        auto loud = syllables(6, rate);
        for (float& x : loud) x = std::clamp(x * 8.0f, -1.0f, 1.0f);
        QVERIFY(checkClip(loud, rate).warnings.join(' ').contains("clips"));

        QVERIFY(checkClip(syllables(6, rate, 0.3), rate).warnings.join(' ').contains("noise"));
    }

    void savesACharacterFromAFile() {
        QTemporaryDir dir;
        const QString clip = dir.filePath("voice.wav");
        writeAudio(clip, AudioBuffer{syllables(8, 44100), 44100, 1});

        VoiceLibrary library(builtInCharactersDir(), dir.filePath("voices"));
        const int before = int(library.characters().size());
        auto record = std::make_shared<RecordedRequests>();
        TaskEngine tasks(EngineSet{[record](const LoadProgress&) -> std::unique_ptr<SpeechEngine> {
                                       return std::make_unique<RecordingEngine>(record);
                                   },
                                   {}},
                         TaskEngineConfig{});
        FakeAudioOutput output;
        PlayerController player(&output);
        CloneWizard wizard(&library, &tasks, &player);
        wizard.show();

        QSignalSpy loaded(wizard.sourcePage(), &CloneSourcePage::clipLoaded);
        wizard.sourcePage()->loadFile(clip);
        QVERIFY(loaded.wait(10000));
        QVERIFY(wizard.sourcePage()->isComplete());
        // What the page says, as a screen reader reads it: the file and its length (8 s).
        QLabel* status = nullptr;
        for (QLabel* l : wizard.sourcePage()->findChildren<QLabel*>())
            if (l->accessibleDescription() == QLatin1String("Recording status")) status = l;
        QVERIFY(status);
        QCOMPARE(QAccessible::queryAccessibleInterface(status)->text(QAccessible::Name), QStringLiteral("voice.wav: 8.0 s"));
        wizard.next();

        CloneTrimPage* trim = wizard.trimPage();
        QVERIFY(!trim->isComplete());   // no transcript yet
        // Keep 1 s to 7 s.
        trim->trimView()->setRange(44100, 7 * 44100);
        QCOMPARE(wizard.draft().keepTo - wizard.draft().keepFrom, qint64(6 * 44100));
        trim->transcript()->setPlainText("The quick brown fox jumps over the lazy dog.");
        QVERIFY(trim->isComplete());
        // Trimmed below 3 s, the page refuses to go on.
        trim->trimView()->setRange(44100, 2 * 44100);
        QVERIFY(!trim->isComplete());
        trim->trimView()->setRange(44100, 7 * 44100);
        wizard.next();

        CloneProfilePage* profile = wizard.profilePage();
        QVERIFY(!profile->isComplete());
        profile->nameField()->setText("Test Voice");
        profile->genderBox()->setCurrentIndex(profile->genderBox()->findData("female"));
        profile->stylesField()->setText("Warm, calm, warm");
        QSignalSpy saved(&wizard, &CloneWizard::saved);
        QSignalSpy failed(&wizard, &CloneWizard::saveFailed);
        wizard.next();   // the commit page's button: saves
        QVERIFY2(saved.wait(20000), failed.isEmpty() ? "no signal" : qPrintable(failed.front().front().toString()));

        const auto character = saved.front().front().value<Character>();
        QCOMPARE(int(library.characters().size()), before + 1);
        const auto stored = library.find(character.id);
        QVERIFY(stored.has_value());
        QCOMPARE(stored->name, QStringLiteral("Test Voice"));
        QCOMPARE(stored->gender, QStringLiteral("female"));
        QCOMPARE(stored->styles, QStringList({"warm", "calm", "cloned"}));   // the library tags clones
        QCOMPARE(stored->segments.size(), 1);
        QCOMPARE(stored->description, QStringLiteral("Cloned from voice.wav."));   // the user's file, not the scratch clip
        QCOMPARE(stored->segments.front().transcript, QStringLiteral("The quick brown fox jumps over the lazy dog."));
        const AudioBuffer reference = readAudio(stored->segments.front().audioPath);
        QVERIFY(reference.durationSeconds() > 3.0 && reference.durationSeconds() <= 6.05);
        QVERIFY(!wizard.isVisible());
    }
};

QTEST_MAIN(TestCloneWizard)
#include "tst_clone_wizard.moc"
