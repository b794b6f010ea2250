// What arrives over time: server-sent events in order (queued, started, progress..., done), a
// cancel that stops a running generation within a frame, and /v1/audio/speech sending its first
// audio before the job is over, byte for byte the samples the engine made.

#include <cmath>
#include <numbers>

#include "api_rig.h"

using namespace echoforge;
using namespace echoforge::test;

namespace {

SineConfig slowSine(int frames = 12, int delayMs = 40) {
    SineConfig s;
    s.frames = frames;
    s.frameDelayMs = delayMs;
    return s;
}

struct SseEvent {
    qint64 id = 0;
    QString name;
    QJsonObject data;
};

QList<SseEvent> parseSse(const QByteArray& body) {
    QList<SseEvent> out;
    QList<QByteArray> blocks;
    for (qsizetype pos = 0, end; (end = body.indexOf("\n\n", pos)) >= 0; pos = end + 2)
        blocks << body.mid(pos, end - pos);
    for (const QByteArray& block : blocks) {
        SseEvent e;
        for (const QByteArray& line : block.split('\n')) {
            if (line.startsWith("id: "))
                e.id = line.mid(4).toLongLong();
            else if (line.startsWith("event: "))
                e.name = QString::fromUtf8(line.mid(7));
            else if (line.startsWith("data: "))
                e.data = QJsonDocument::fromJson(line.mid(6)).object();
        }
        if (!e.name.isEmpty())
            out << e;
    }
    return out;
}

} // namespace

class TestApiStreaming : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eventsArriveInOrder() {
        ApiRig rig(testLimits(), slowSine());
        const qint64 id = rig.postJson("/api/generate", R"({"text": "Tell me.", "voice": ")" + rig.firstCharacter().toUtf8() + R"("})")
                              .json()["id"].toInteger();
        const RawResponse r = rig.get("/api/tasks/" + QByteArray::number(id) + "/events");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArray("text/event-stream"));
        const QList<SseEvent> events = parseSse(r.body);
        QVERIFY2(events.size() >= 4, r.body.constData());
        QCOMPARE(events.front().name, QStringLiteral("queued"));
        QCOMPARE(events[1].name, QStringLiteral("started"));
        QCOMPARE(events.back().name, QStringLiteral("done"));
        QCOMPARE(events.back().data["state"].toString(), QStringLiteral("done"));
        double lastProgress = -1;
        for (qsizetype i = 2; i + 1 < events.size(); ++i) {
            QCOMPARE(events[i].name, QStringLiteral("progress"));
            QVERIFY(events[i].data["progress"].toDouble() >= lastProgress);
            lastProgress = events[i].data["progress"].toDouble();
        }
        QVERIFY(lastProgress > 0);
        for (qsizetype i = 1; i < events.size(); ++i)
            QVERIFY(events[i].id > events[i - 1].id);
        // A subscriber after the end still hears how it went, and the stream closes.
        const QList<SseEvent> late = parseSse(rig.get("/api/tasks/" + QByteArray::number(id) + "/events").body);
        QCOMPARE(late.front().name, QStringLiteral("queued"));
        QCOMPARE(late.back().name, QStringLiteral("done"));
    }

    void cancellingARunningGeneration() {
        ApiRig rig(testLimits(), slowSine(100, 30));
        const qint64 id = rig.postJson("/api/generate", R"({"text": "A long one.", "voice": ")" + rig.firstCharacter().toUtf8() + R"("})")
                              .json()["id"].toInteger();
        QVERIFY(QTest::qWaitFor([&] { return rig.get("/api/tasks/" + QByteArray::number(id)).json()["state"] == "running"; }, 10000));
        const RawResponse cancel = rig.del("/api/tasks/" + QByteArray::number(id));
        QCOMPARE(cancel.status, 202);
        const QJsonObject t = rig.waitForTask(id);
        QCOMPARE(t["state"].toString(), QStringLiteral("cancelled"));
        QVERIFY(rig.log->cancelledAtFrame >= 0);
        QVERIFY(rig.log->cancelledAtFrame < 100);
        QVERIFY(rig.log->framesAfterCancel.load() <= 1);   // the frame being made when the cancel came
        QCOMPARE(rig.del("/api/tasks/" + QByteArray::number(id)).status, 409);
        QCOMPARE(rig.get("/api/tasks/" + QByteArray::number(id) + "/audio").status, 409);
    }

    void speechStreamsBeforeTheJobEnds() {
        const SineConfig sine = slowSine(12, 50);
        ApiRig rig({}, sine);
        qint64 doneAt = -1;
        QObject::connect(&rig.server->tasks(), &api::ApiTasks::event, [&doneAt](JobId, const QByteArray& name, const QJsonObject&) {
            if (name == "done")
                doneAt = QDateTime::currentMSecsSinceEpoch();
        });
        const RawResponse r = rig.postJson("/v1/audio/speech", R"({"model": "tts-1", "input": "Stream it.", "voice": ")" +
                                           rig.firstCharacter().toUtf8() + R"(", "response_format": "pcm"})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Transfer-Encoding"), QByteArray("chunked"));
        QVERIFY(doneAt > 0);
        // The first audio left at least a few frames before the take was over.
        QVERIFY2(r.firstBodyEpochMs < doneAt - 3 * sine.frameDelayMs,
                 qPrintable(QStringLiteral("first bytes at %1, done at %2").arg(r.firstBodyEpochMs).arg(doneAt)));
        // 24 kHz 16-bit little-endian: the sine the engine made, sample for sample.
        QCOMPARE(r.body.size(), qsizetype(sine.frames * sine.frameSamples * 2));
        const auto* pcm = reinterpret_cast<const qint16*>(r.body.constData());
        for (int i : {0, 1, 100, 5000, sine.frames * sine.frameSamples - 1}) {
            const double expected = 0.5 * std::sin(2 * std::numbers::pi * sine.frequencyHz * i / 24000.0) * 32767;
            QVERIFY2(std::abs(pcm[i] - expected) <= 1.0, qPrintable(QStringLiteral("sample %1: %2 vs %3").arg(i).arg(pcm[i]).arg(expected)));
        }
    }

    void speechFormats() {
        ApiRig rig;
        const QByteArray voice = rig.firstCharacter().toUtf8();
        const RawResponse wav = rig.postJson("/v1/audio/speech", R"({"input": "Hi.", "voice": ")" + voice + R"("})");
        QCOMPARE(wav.status, 200);
        QCOMPARE(wav.header("Content-Type"), QByteArray("audio/wav"));
        QCOMPARE(wav.body.left(4), QByteArray("RIFF"));
        const SineConfig sine;
        QCOMPARE(wav.body.size(), qsizetype(44 + sine.frames * sine.frameSamples * 2));
        const RawResponse flac = rig.postJson("/v1/audio/speech", R"({"input": "Hi.", "voice": ")" + voice + R"(", "response_format": "flac"})");
        QCOMPARE(flac.status, 200);
        QCOMPARE(flac.body.left(4), QByteArray("fLaC"));
        // A voice named by its display name works too.
        const QByteArray name = rig.library.characters().front().name.toUtf8();
        QCOMPARE(rig.postJson("/v1/audio/speech", R"({"input": "Hi.", "voice": ")" + name + R"("})").status, 200);
        QCOMPARE(rig.postJson("/v1/audio/speech", R"({"input": "Hi.", "voice": "nobody-here"})").status, 422);
        // eSpeak NG speaks faster when asked; the rate is what changes.
        QCOMPARE(rig.postJson("/v1/audio/speech", R"({"input": "Hi.", "voice": ")" + voice + R"(", "speed": 2.0})").status, 200);
        // A failing generation before any audio is an error answer, not an empty file.
        const RawResponse failed = rig.postJson("/v1/audio/speech", R"({"input": "fail: now", "voice": ")" + voice + R"("})");
        QCOMPARE(failed.status, 500);
        QCOMPARE(failed.errorCode(), QStringLiteral("generation_failed"));
    }
};

QTEST_GUILESS_MAIN(TestApiStreaming)
#include "tst_api_streaming.moc"
