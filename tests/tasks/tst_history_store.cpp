// The history database and what goes into it: requests round-trip through JSON exactly, the
// store refuses files it cannot read with a sentence, and takes are written atomically.

#include <limits>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/tasks/atomic_audio_file.h"
#include "core/tasks/history_store.h"
#include "core/tasks/job_codec.h"

using namespace echoforge;

namespace {

SpeechRequest richRequest() {
    SpeechRequest r;
    r.text = "Line one.\nLine \"two\" — ünïcode.";
    r.character.id = "ada";
    r.character.name = "Ada";
    r.character.styles = {"warm", "calm"};
    r.character.segments = {{"/voices/ada/a.wav", "Hello.", 2}};
    r.character.csmSpeakerId = 2;
    r.character.espeak = {"en-gb", "f3", 61, 190};
    r.params.temperature = 0.65;
    r.params.topK = 33;
    r.params.maxSeconds = 12.5;
    r.params.seed = std::numeric_limits<std::uint64_t>::max() - 1;   // not exact as a double
    r.extraContext = {{"/tmp/turn.wav", "Earlier turn.", 1}};
    return r;
}

HistoryEntry entryFor(JobId id, const QString& text, const QString& audioPath) {
    HistoryEntry e;
    e.id = id;
    e.createdAt = QDateTime::currentDateTimeUtc();
    e.request = richRequest();
    e.request.text = text;
    e.engineId = "csm";
    e.engineName = "CSM-1B";
    e.seed = 99;
    e.durationSeconds = 1.5;
    e.audioPath = audioPath;
    e.notes = {"retried once", "split in 2"};
    return e;
}

} // namespace

class TestHistoryStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void requestRoundTripsExactly() {
        const SpeechRequest r = richRequest();
        const SpeechRequest back = requestFromJson(requestToJson(r));
        QCOMPARE(back.text, r.text);
        QCOMPARE(back.params.seed, r.params.seed);
        QCOMPARE(back.params.temperature, r.params.temperature);
        QCOMPARE(back.params.topK, r.params.topK);
        QCOMPARE(back.params.maxSeconds, r.params.maxSeconds);
        QCOMPARE(back.character.styles, r.character.styles);
        QCOMPARE(back.character.segments.size(), 1);
        QCOMPARE(back.character.segments.at(0).speakerId, 2);
        QCOMPARE(back.character.espeak.variant, QString("f3"));
        QCOMPARE(back.character.espeak.rate, 190);
        QCOMPARE(back.extraContext.at(0).transcript, QString("Earlier turn."));
        SpeechRequest noSeed = r;
        noSeed.params.seed.reset();
        QVERIFY(!requestFromJson(requestToJson(noSeed)).params.seed);
    }

    void optionsRoundTripAndUnknownEngineIsNamed() {
        JobOptions o{JobPriority::Interactive, EngineSelection::Espeak, "/out/a.flac", false};
        const JobOptions back = optionsFromJson(optionsToJson(o));
        QCOMPARE(back.priority, JobPriority::Interactive);
        QCOMPARE(back.engine, EngineSelection::Espeak);
        QCOMPARE(back.outputPath, QString("/out/a.flac"));
        QCOMPARE(back.keepInHistory, false);
        try {
            engineSelectionFromName("piper");
            QFAIL("an unknown engine must be refused");
        } catch (const Error& e) {
            QVERIFY(e.sentence().contains("piper") && e.sentence().contains("espeak"));
        }
    }

    void entriesPendingAndIds() {
        QTemporaryDir dir;
        HistoryStore store(dir.filePath("h"));
        QCOMPARE(store.maxJobId(), 0);
        store.addPending({5, QDateTime::currentDateTimeUtc(), richRequest(), {}});
        store.addPending({6, QDateTime::currentDateTimeUtc(), richRequest(), {.priority = JobPriority::Batch}});
        QCOMPARE(store.pending().size(), 2);
        QCOMPARE(store.pending().at(1).options.priority, JobPriority::Batch);
        QCOMPARE(store.maxJobId(), 6);

        store.recordFinished(entryFor(5, "first", store.audioPathFor(5)));
        QCOMPARE(store.pending().size(), 1);   // finishing forgets the pending row in the same transaction
        QCOMPARE(store.pending().at(0).id, 6);
        const auto e = store.entry(5);
        QVERIFY(e);
        QCOMPARE(e->notes, QStringList({"retried once", "split in 2"}));
        QCOMPARE(e->request.params.seed, richRequest().params.seed);
        QCOMPARE(e->engineName, QString("CSM-1B"));
        QVERIFY(std::abs(e->createdAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);

        store.recordFinished(entryFor(7, "second", store.audioPathFor(7)));
        QCOMPARE(store.maxJobId(), 7);
        QCOMPARE(store.entries().at(0).id, 7);   // newest first
        QCOMPARE(store.entries("SECOND").size(), 1);
        QCOMPARE(store.entries("ada").size(), 2);
        store.removeAllPending();
        QVERIFY(store.pending().isEmpty());
        store.remove(7);
        QCOMPARE(store.count(), 1);
    }

    void unreadableDatabaseIsNamed() {
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("h")));
        QFile junk(dir.filePath("h/history.sqlite"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'x'));
        junk.close();
        try {
            HistoryStore store(dir.filePath("h"));
            QFAIL("a file that is not a database must be refused");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains("history.sqlite"), qPrintable(e.sentence()));
        }
    }

    void audioIsWrittenWholeOrNotAtAll() {
        QTemporaryDir dir;
        const std::vector<float> samples(4800, 0.25f);
        const QString wav = dir.filePath("takes/a.wav");
        writeAudioAtomically(wav, samples, 24000);
        const AudioBuffer back = readAudio(wav);
        QCOMPARE(back.frames(), samples.size());
        QCOMPARE(back.sampleRate, 24000);
        writeAudioAtomically(dir.filePath("takes/a.flac"), samples, 24000);
        QCOMPARE(readAudio(dir.filePath("takes/a.flac")).frames(), samples.size());
        // Nothing but the two takes is left in the folder (no temporaries).
        QCOMPARE(QDir(dir.filePath("takes")).entryList(QDir::Files | QDir::Hidden).size(), 2);

        QVERIFY_THROWS_EXCEPTION(Error, writeAudioAtomically(dir.filePath("takes/a.mp3"), samples, 24000));
        QVERIFY(!QFile::exists(dir.filePath("takes/a.mp3")));
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_history_store.moc"
