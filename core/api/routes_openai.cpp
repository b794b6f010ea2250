// OpenAI's speech route (POST /v1/audio/speech) and model list (GET /v1/models), so tools written
// for that API work unchanged. WAV and PCM are streamed as they are made (chunked): the first
// audio leaves before the take ends. FLAC and Opus need the whole take, so they are sent at the end.

#include <algorithm>

#include <QJsonArray>

#include "core/api/api_server.h"
#include "core/api/request_checks.h"
#include "core/api/route_helpers.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"

namespace echoforge::api {
namespace {

constexpr int kMinEspeakRate = 80, kMaxEspeakRate = 450;   // espeak-ng's words per minute range

EngineSelection engineForModel(const QString& model) {
    const QString m = model.toLower();
    if (m == "csm-1b" || m == "csm")
        return EngineSelection::Csm;
    if (m == "espeak" || m == "espeak-ng")
        return EngineSelection::Espeak;
    return EngineSelection::Auto;   // tts-1, gpt-4o-mini-tts, echoforge: whatever speaks now
}

// The state of one streamed answer, shared by the signal handlers.
struct SpeechStream {
    std::shared_ptr<Exchange> exchange;
    ResponseStream* stream = nullptr;   // made at the first audio
    AudioFormat format = AudioFormat::Wav;
    JobId task = 0;
    bool over = false;
};

void speech(const std::shared_ptr<Exchange>& x) {
    ApiServer& server = x->server();
    const ApiServices& s = server.services();
    const ApiLimits& limits = server.config().limits;
    const SpeechRequestBody body = parseSpeechRequest(parseJsonBody(x->request(), limits.maxBodyBytes), limits);
    if (body.format == AudioFormat::Opus && !canEncode(AudioFormat::Opus))
        throw ApiError(422, "invalid_input", "This build's libsndfile cannot write Opus; ask for wav, flac or pcm.");
    Character voice;
    try {
        voice = requireVoice(*s.library, body.voice);
    } catch (const ApiError& e) {
        throw ApiError(422, "invalid_input", e.message());
    }
    const EngineSelection engine = engineForModel(body.model);
    const bool espeakSpeaks = engine == EngineSelection::Espeak ||
                              (engine == EngineSelection::Auto && activeEngineId(*s.tasks) == "espeak");
    if (body.speed != 1.0) {
        // eSpeak NG speaks at a rate we set; CSM-1B has no such control and resampling would
        // change the voice's pitch, so it is refused rather than faked.
        if (!espeakSpeaks)
            throw ApiError(422, "invalid_input", "CSM-1B speaks at the voice's own pace; send \"speed\": 1.0 "
                                                 "(other speeds work with the espeak model).");
        voice.espeak.rate = std::clamp(int(voice.espeak.rate * body.speed), kMinEspeakRate, kMaxEspeakRate);
    }
    const QString client = x->request().client;
    checkJobsPerClient(server, client);
    if (server.openStreams(client) >= limits.eventStreamsPerClient)
        throw ApiError(429, "too_many_streams", "You have as many streamed answers open as a client may; wait for one.",
                       {{"Retry-After", "5"}});

    JobOptions options;
    options.priority = JobPriority::Interactive;
    options.engine = engine;
    GenerationParams params{s.settings.temperature, s.settings.topK, std::nullopt, s.settings.maxSeconds};
    params.maxSeconds = std::min<double>(limits.maxAudioSeconds, std::max(params.maxSeconds, body.input.size() / 5.0));
    const JobId id = server.tasks().create({ConversationTurn{voice, body.input}}, params, options,
                                           body.format == AudioFormat::Pcm ? AudioFormat::Wav : body.format, client);
    server.streamOpened(client);

    auto st = std::make_shared<SpeechStream>();
    st->exchange = x;
    st->format = body.format;
    st->task = id;
    auto* context = new QObject(server.scope());
    const auto finish = [st, context, &server, client] {
        if (std::exchange(st->over, true))
            return;
        server.streamClosed(client);
        if (st->stream)
            st->stream->deleteLater();
        context->deleteLater();
    };
    const bool streamed = body.format == AudioFormat::Wav || body.format == AudioFormat::Pcm;
    QObject::connect(&server.tasks(), &ApiTasks::audio, context, [st, streamed, &server, finish](JobId task, const QVector<float>& samples) {
        if (task != st->task || !streamed || st->over)
            return;
        if (!st->stream) {
            st->stream = st->exchange->stream(200, audioMimeType(st->format));
            if (st->format == AudioFormat::Wav)
                st->stream->write(wavStreamHeader(kOutputSampleRate));
            // The client hung up: nobody wants the rest.
            QObject::connect(st->stream, &ResponseStream::closed, st->stream, [st, &server, finish] {
                server.tasks().cancel(st->task);
                finish();
            });
        }
        st->stream->write(pcm16(samples));
    });
    QObject::connect(&server.tasks(), &ApiTasks::event, context,
                     [st, streamed, &server, finish](JobId task, const QByteArray& name, const QJsonObject& data) {
        if (task != st->task || st->over)
            return;
        if (name == "done") {
            if (streamed && st->stream) {
                st->stream->end();
            } else if (streamed) {   // a take without audio: an empty but valid answer
                QByteArray empty = st->format == AudioFormat::Wav ? wavStreamHeader(kOutputSampleRate) : QByteArray();
                st->exchange->respond({200, audioMimeType(st->format), empty, {}});
            } else {
                try {
                    st->exchange->respond({200, audioMimeType(st->format), server.tasks().encodedAudio(task, st->format), {}});
                } catch (const Error& e) {
                    st->exchange->fail(ApiError::fromError(e));
                }
            }
            finish();
        } else if (name == "failed" || name == "cancelled") {
            if (st->stream)
                st->stream->abort();
            else
                st->exchange->fail(name == "failed" ? ApiError(500, "generation_failed", data.value("error").toString())
                                                    : ApiError(503, "cancelled", "The speech was cancelled before it was made."));
            finish();
        }
    });
}

void models(const std::shared_ptr<Exchange>& x) {
    const auto model = [](const char* id) {
        return QJsonObject{{"id", id}, {"object", "model"}, {"created", 0}, {"owned_by", "echoforge"}};
    };
    x->respond(HttpResponse::json(QJsonObject{{"object", "list"},
                                              {"data", QJsonArray{model("echoforge"), model("csm-1b"), model("espeak")}}}));
}

} // namespace

void addOpenAiRoutes(QList<Route>& routes) {
    routes << Route{"POST", "/v1/audio/speech", speech,
                    "OpenAI-compatible speech: model, input, voice, response_format wav|flac|pcm|opus, speed; streamed."};
    routes << Route{"GET", "/v1/models", models, "The models /v1/audio/speech accepts (OpenAI's list form)."};
}

} // namespace echoforge::api
