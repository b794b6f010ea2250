// Voice anchors with the tiny CSM: a character without a reference clip is anchored at its first
// CSM request (its sample line, its fixed seed); auditions are ordinary jobs that make different
// takes; a kept take is stored and is the prompt's prefix every time, also after a restart; long
// text and scripts keep it at the start of every piece's context; pause marks insert silence.

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "core/generation/csm_engine.h"
#include "core/tasks/audition.h"
#include "core/tasks/task_engine.h"
#include "core/text/text_normalizer.h"
#include "core/voices/voice_anchor.h"
#include "tiny_model_folder.h"

using namespace echoforge;

namespace {

// The frames a prompt starts with that the engine marked as the voice (the reusable prefix).
struct SeenPrompt {
    int prefixFrames = 0;
    int frames = 0;
    std::vector<std::int64_t> prefixTokens;
};

Character tester(const QString& id) {
    Character c;
    c.id = id;
    c.name = id;
    c.sampleText = QStringLiteral("Every story begins with a single voice, and 2 more.");
    c.csmSpeakerId = 0;
    return c;
}

SpeechRequest request(const Character& c, const QString& text, std::uint64_t seed, double seconds) {
    SpeechRequest r;
    r.text = text;
    r.character = c;
    r.params.seed = seed;
    r.params.maxSeconds = seconds;
    return r;
}

// The longest run under -60 dBFS: the tiny model's random speech is never that quiet for long.
double longestSilenceSeconds(const std::vector<float>& audio) {
    std::size_t run = 0, longest = 0;
    for (float s : audio) {
        run = std::abs(s) < 1e-3f ? run + 1 : 0;   // -60 dBFS
        longest = std::max(longest, run);
    }
    return double(longest) / kOutputSampleRate;
}

} // namespace

class TestVoiceAnchors : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QList<SeenPrompt> seen_;

    CsmEngineOptions options(const QString& cache) {
        CsmEngineOptions o;
        o.modelsDir = dir_.filePath("models");
        o.cacheDir = dir_.filePath(cache);
        o.anchorsDir = dir_.filePath("anchors");
        o.lexiconsDir = dir_.filePath("lexicons");
        o.maxTakeAttempts = 1;
        o.threads = 1;
        o.onPrompt = [this](const CsmPromptBuilder& prompt) {
            SeenPrompt s;
            s.prefixFrames = prompt.reusablePrefixFrames();
            s.frames = prompt.frames();
            s.prefixTokens.assign(prompt.tokens().begin(), prompt.tokens().begin() + s.prefixFrames * prompt.width());
            seen_ << s;
        };
        return o;
    }

    SpeechResult speak(CsmEngine& engine, const SpeechRequest& r) {
        seen_.clear();
        return engine.synthesize(r, SpeechCallbacks{});
    }

private Q_SLOTS:
    void initTestCase() {
        const QString error = testing::writeTinyModelFolder(dir_.filePath("models"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void firstUseAnchorsAutomatically() {
        auto engine = CsmEngine::load(options("cache-first"));
        const Character c = tester("first");
        AnchorStore store(dir_.filePath("anchors"));
        QVERIFY(!store.has(c.id));

        const SpeechResult first = speak(*engine, request(c, "Hello there.", 5, 2.0));
        const auto anchor = store.find(c.id);
        QVERIFY(anchor);
        QVERIFY(anchor->automatic);
        QCOMPARE(anchor->seed, std::optional<std::uint64_t>(fixedVoiceSeed(c.id)));
        QCOMPARE(anchor->segment.transcript, QStringLiteral("Every story begins with a single voice, and two more."));
        QVERIFY2(first.notes.join(' ').contains("became its voice"), qPrintable(first.notes.join(' ')));
        QVERIFY(readAudio(anchor->segment.audioPath).durationSeconds() >= 1.0);
        // Two prompts: the sample line without a voice (making the anchor), then the request with it.
        QCOMPARE(seen_.size(), 2);
        QCOMPARE(seen_[0].prefixFrames, 0);
        QVERIFY(seen_[1].prefixFrames > 0);   // the anchor is the prompt's voice
        const auto prefix = seen_[1].prefixTokens;

        // The next request uses it as it is: no new anchor, the same prefix frames.
        const SpeechResult second = speak(*engine, request(c, "Something else entirely.", 6, 2.0));
        QVERIFY(!second.notes.join(' ').contains("became its voice"));
        QCOMPARE(store.find(c.id)->segment.audioPath, anchor->segment.audioPath);
        QCOMPARE(seen_.size(), 1);
        QCOMPARE(seen_[0].prefixTokens, prefix);

        // The same character on another machine (fresh folders) gets the same first-use voice.
        CsmEngineOptions elsewhere = options("cache-elsewhere");
        elsewhere.anchorsDir = dir_.filePath("anchors-elsewhere");
        auto other = CsmEngine::load(elsewhere);
        speak(*other, request(c, "Hello there.", 5, 2.0));
        QCOMPARE(seen_.back().prefixTokens, prefix);
    }

    void auditionsMakeDifferentTakes() {
        const Character c = tester("auditioned");
        EngineSet engines;
        engines.makeFallback = [](const LoadProgress&) -> std::unique_ptr<SpeechEngine> {
            throw Error("no fallback in this test");
        };
        const CsmEngineOptions o = options("cache-audition");
        engines.makeCsm = [o](const LoadProgress&) -> std::unique_ptr<SpeechEngine> { return CsmEngine::load(o); };
        TaskEngineConfig config;
        TaskEngine tasks(std::move(engines), config);
        QSignalSpy finished(&tasks, &TaskEngine::finished);
        QSignalSpy failed(&tasks, &TaskEngine::failed);

        const QList<std::uint64_t> seeds = auditionSeeds(c.id, 3);
        QCOMPARE(QSet<std::uint64_t>(seeds.begin(), seeds.end()).size(), 3);
        QCOMPARE(seeds.front(), fixedVoiceSeed(c.id));   // take 1 is what first use would make
        QVERIFY(auditionSeeds(c.id, 3, 1).front() != seeds.front());   // a re-audition has new seeds
        QList<JobId> ids;
        for (int i = 0; i < 3; ++i)
            ids << tasks.submit(auditionRequest(c, seeds[i]), auditionJobOptions(dir_.filePath(QStringLiteral("take-%1.wav").arg(i))));
        while (finished.count() + failed.count() < 3)
            QVERIFY(finished.wait(60000));
        QCOMPARE(failed.count(), 0);
        QList<std::vector<float>> takes;
        for (const QList<QVariant>& args : finished) {
            const JobResult r = args.at(1).value<JobResult>();
            QCOMPARE(r.speech.engineId, QStringLiteral("csm"));
            QVERIFY(QFileInfo::exists(r.audioPath));
            takes << *r.audio;
        }
        QVERIFY(takes[0] != takes[1] && takes[1] != takes[2] && takes[0] != takes[2]);
        QVERIFY(!AnchorStore(dir_.filePath("anchors")).has(c.id));   // auditioning does not anchor

        // A character with its own clip needs no audition.
        Character cloned = c;
        cloned.segments << ReferenceSegment{dir_.filePath("take-0.wav"), "Hello.", 0};
        QVERIFY_THROWS_EXCEPTION(Error, auditionRequest(cloned, 1));
    }

    void keptTakeIsThePrefixAlsoAfterRestart() {
        const Character c = tester("kept");
        AnchorStore store(dir_.filePath("anchors"));
        // A take from an audition (seed 42), kept by the user.
        auto engine = CsmEngine::load(options("cache-kept"));
        SpeechRequest audition = auditionRequest(c, 42);
        const SpeechResult take = speak(*engine, audition);
        QVERIFY(seen_[0].prefixFrames == 0);   // an audition has no voice in its context
        const QString file = dir_.filePath("kept-take.wav");
        writeAudio(file, AudioBuffer{take.audio, kOutputSampleRate, 1});
        store.keepFile(c.id, file, text::normalizeForSpeech(c.sampleText), 0, 42);
        const auto kept = store.find(c.id);
        QVERIFY(kept && !kept->automatic && kept->seed == std::optional<std::uint64_t>(42));

        speak(*engine, request(c, "First line with the kept voice.", 1, 2.0));
        const SeenPrompt before = seen_.front();
        QVERIFY(before.prefixFrames > 0);
        // A restart: a new engine, with an empty code cache, reads the anchor from disk again.
        engine.reset();
        auto restarted = CsmEngine::load(options("cache-kept-after-restart"));
        speak(*restarted, request(c, "Another line after the restart.", 2, 2.0));
        QCOMPARE(seen_.front().prefixFrames, before.prefixFrames);
        QCOMPARE(seen_.front().prefixTokens, before.prefixTokens);

        // Reset: the next request anchors anew from the sample line, a different voice.
        QVERIFY(store.reset(c.id));
        speak(*restarted, request(c, "After the reset.", 3, 2.0));
        QVERIFY(store.find(c.id)->automatic);
        QVERIFY(seen_.back().prefixFrames > 0);
        QVERIFY(seen_.back().prefixTokens != before.prefixTokens);
    }

    void longTextKeepsTheAnchorFirstInEveryPiece() {
        auto engine = CsmEngine::load(options("cache-long"));
        const Character c = tester("long");
        speak(*engine, request(c, "Warm up.", 1, 1.0));   // anchors it
        QString text;
        for (int s = 0; s < 6; ++s)
            text += QStringLiteral("Sentence number %1 says a handful of ordinary words to fill the piece. ").arg(s + 1);
        const SpeechResult r = speak(*engine, request(c, text, 9, 60.0));
        QVERIFY2(seen_.size() >= 2, qPrintable(r.notes.join(' ')));
        for (const SeenPrompt& s : seen_) {
            QCOMPARE(s.prefixFrames, seen_.front().prefixFrames);
            QCOMPARE(s.prefixTokens, seen_.front().prefixTokens);
        }
        QVERIFY(seen_[1].frames > seen_[1].prefixFrames);   // the previous piece follows the voice
    }

    void scriptKeepsTheAnchorAheadOfEarlierTurns() {
        auto engine = CsmEngine::load(options("cache-script"));
        const Character c = tester("script");
        speak(*engine, request(c, "Warm up.", 1, 1.0));   // anchors it
        const auto voice = seen_.back().prefixTokens;
        // Earlier turns of a long script: more than the window holds next to the voice.
        SpeechRequest r = request(c, "My next line.", 2, 2.0);
        const QString clip = AnchorStore(dir_.filePath("anchors")).find(c.id)->segment.audioPath;
        for (int i = 0; i < 12; ++i)
            r.extraContext << ReferenceSegment{clip, QStringLiteral("Earlier line %1 of the script.").arg(i), 1};
        const SpeechResult result = speak(*engine, r);
        QVERIFY2(result.notes.join(' ').contains("earliest lines of the script were left out"), qPrintable(result.notes.join(' ')));
        QCOMPARE(seen_.front().prefixTokens, voice);
    }

    void pauseMarksInsertSilence() {
        auto engine = CsmEngine::load(options("cache-pause"));
        Character c = tester("pauser");
        speak(*engine, request(c, "Warm up.", 1, 1.0));   // anchors it
        const SpeechResult plain = speak(*engine, request(c, "One short line. [pause 2s] Another short line.", 4, 20.0));
        QCOMPARE(seen_.size(), 2);   // the mark splits the text
        QVERIFY2(longestSilenceSeconds(plain.audio) >= 1.9, qPrintable(QString::number(longestSilenceSeconds(plain.audio))));
        // Unknown brackets are text, and never break a request.
        const SpeechResult odd = speak(*engine, request(c, "A line [laughs] with [pause x] odd marks.", 4, 5.0));
        QVERIFY(!odd.audio.empty());
        QCOMPARE(seen_.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestVoiceAnchors)
#include "tst_voice_anchors.moc"
