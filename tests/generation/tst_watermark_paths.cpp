// Issue 18, point 4, on the paths a take leaves the product by besides the engine and the CLI:
// the WAV the task engine writes into the history folder, the take served by the HTTP API, and
// the audio a client receives as it is streamed (the task engine's audioChunk signals, and
// /v1/audio/speech as 16-bit PCM). Each must carry the mark with the margin of
// watermark_margin.h. The engines are made as echoforge-server makes them (core/wiring's
// installedEngines and TaskEngineConfig::fromSettings) over the tiny CSM of the real geometry.

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/audio/audio_io.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/wiring/installed_engines.h"
#include "tests/api/api_rig.h"
#include "tiny_model_folder.h"
#include "watermark_margin.h"

using namespace echoforge;

namespace {

constexpr double kTakeSeconds = 5.0;

// 16-bit little-endian PCM (the API's "pcm" format and a WAV's data) as floats.
std::vector<float> pcm16ToFloats(const QByteArray& bytes) {
    std::vector<float> samples(std::size_t(bytes.size() / 2));
    const auto* pcm = reinterpret_cast<const qint16*>(bytes.constData());
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = float(pcm[i]) / 32768.0f;
    return samples;
}

} // namespace

class TestWatermarkPaths : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<test::ApiRig> rig_;
    AppPaths paths_;

    QString voice() const { return rig_->firstCharacter(); }

private Q_SLOTS:
    void initTestCase() {
        const QString error = testing::writeTinyModelFolder(dir_.filePath("models"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        qputenv("ECHOFORGE_DATA_DIR", dir_.filePath("data").toUtf8());
        Settings settings;
        settings.threads = 1;
        settings.maxSeconds = kTakeSeconds;   // /v1/audio/speech takes its length from the settings
        paths_ = AppPaths::resolve(settings);
        paths_.modelsDir = dir_.filePath("models");   // as `say --model-dir` does (ctest sets ECHOFORGE_MODEL_DIR)
        paths_.ensureExist();
        EngineSet engines = installedEngines(paths_, settings);
        QVERIFY2(bool(engines.makeCsm), "the tiny model folder is not seen as a complete CSM installation");
        rig_ = std::make_unique<test::ApiRig>(std::move(engines), TaskEngineConfig::fromSettings(settings, paths_), settings);
        QVERIFY(rig_->port != 0);
    }

    // The task engine with the real CSM: the take file in the history folder, and the audio its
    // audioChunk signals carried, concatenated as a listener (the studio's preview) receives it.
    void taskEngineTakeFileAndStream() {
        TaskEngine& tasks = *rig_->tasks;
        SpeechRequest request;
        request.text = "Hello there, this take goes through the task engine.";
        request.character = rig_->library.characters().front();
        request.params.seed = 7;
        request.params.maxSeconds = kTakeSeconds;
        JobOptions options;
        options.engine = EngineSelection::Csm;
        std::vector<float> streamed;
        JobId id = 0;
        connect(&tasks, &TaskEngine::audioChunk, this, [&](JobId job, const QVector<float>& samples) {
            if (job == id)
                streamed.insert(streamed.end(), samples.begin(), samples.end());
        });
        QSignalSpy finished(&tasks, &TaskEngine::finished);
        QSignalSpy failed(&tasks, &TaskEngine::failed);
        id = tasks.submit(request, options);
        QVERIFY2(QTest::qWaitFor([&] { return !finished.isEmpty() || !failed.isEmpty(); }, 300000),
                 "the job did not end within 5 minutes");
        QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.front().at(1).toString()));
        const auto result = finished.front().at(1).value<JobResult>();
        QCOMPARE(result.id, id);
        QCOMPARE(result.speech.engineId, QStringLiteral("csm"));

        QVERIFY2(result.historyAudioPath.startsWith(paths_.historyDir + '/'), qPrintable(result.historyAudioPath));
        const AudioBuffer take = readAudio(result.historyAudioPath, ChannelMode::MixToMono);
        QCOMPARE(take.sampleRate, kOutputSampleRate);
        QVERIFY2(take.durationSeconds() >= 3.0, qPrintable(QString::number(take.durationSeconds())));
        QCOMPARE(testing::markMarginShortfall(take.samples), QString());

        // The chunks are the audio as it was made, before the take's trim: at least as long as the file.
        QVERIFY2(streamed.size() >= take.samples.size(),
                 qPrintable(QStringLiteral("%1 samples streamed, %2 in the file").arg(streamed.size()).arg(take.samples.size())));
        QCOMPARE(testing::markMarginShortfall(streamed), QString());
    }

    // POST /api/generate with CSM, then the take's audio as a client fetches it. The API serves the
    // take its ConversationRun joined from the job's streamed chunks (core/tasks/conversation.cpp),
    // not the history copy: without the streaming mark (csm_take.cpp) this fails even though the
    // history copy is marked again after trimming.
    void takeServedOverHttp() {
        const QJsonObject request{{"text", "Hello there, this take is served over HTTP."}, {"voice", voice()}, {"engine", "csm"},
                                  {"seed", 11}, {"max_seconds", kTakeSeconds}};
        const test::RawResponse made = rig_->postJson("/api/generate", QJsonDocument(request).toJson());
        QCOMPARE(made.status, 202);
        const qint64 id = made.json()["id"].toInteger();
        const QJsonObject task = rig_->waitForTask(id, 300000);
        QCOMPARE(task["state"].toString(), QStringLiteral("done"));

        const test::RawResponse audio = rig_->get("/api/tasks/" + QByteArray::number(id) + "/audio");
        QCOMPARE(audio.status, 200);
        QCOMPARE(audio.header("Content-Type"), QByteArray("audio/wav"));
        // Decoded by libsndfile from the bytes as served.
        const QString served = dir_.filePath("served.wav");
        QFile file(served);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(audio.body) == audio.body.size());
        file.close();
        const AudioBuffer take = readAudio(served, ChannelMode::MixToMono);
        QCOMPARE(take.sampleRate, kOutputSampleRate);
        QVERIFY2(take.durationSeconds() >= 3.0, qPrintable(QString::number(take.durationSeconds())));
        QCOMPARE(testing::markMarginShortfall(take.samples), QString());
    }

    // /v1/audio/speech with CSM as raw PCM: streamed (chunked) while it is made, the mark checked
    // on all the bytes the client received.
    void speechStreamedOverHttp() {
        const QJsonObject request{{"model", "csm-1b"}, {"input", "Hello there, this take is streamed to you."}, {"voice", voice()},
                                  {"response_format", "pcm"}};
        const QByteArray body = QJsonDocument(request).toJson();
        const test::RawResponse r = rig_->http->send("POST", "/v1/audio/speech", {"Authorization: Bearer " + test::kToken,
                                               "Content-Type: application/json"}, body, 300000);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Transfer-Encoding"), QByteArray("chunked"));
        const std::vector<float> streamed = pcm16ToFloats(r.body);
        QVERIFY2(streamed.size() >= std::size_t(3 * kOutputSampleRate), qPrintable(QString::number(streamed.size())));
        QCOMPARE(testing::markMarginShortfall(streamed), QString());
    }
};

QTEST_GUILESS_MAIN(TestWatermarkPaths)
#include "tst_watermark_paths.moc"
