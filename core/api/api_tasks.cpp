#include "core/api/api_tasks.h"

#include <QDir>
#include <QFile>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/tasks/task_engine.h"

namespace echoforge::api {
namespace {
constexpr int kPreviewCharacters = 80;
constexpr std::size_t kEncodingsKept = 8;
}

QString taskStateName(TaskState s) {
    switch (s) {
    case TaskState::Queued: return "queued";
    case TaskState::Running: return "running";
    case TaskState::Done: return "done";
    case TaskState::Failed: return "failed";
    case TaskState::Cancelled: return "cancelled";
    }
    return "queued";
}

QJsonObject ApiTask::toJson() const {
    QJsonObject o{{"id", QJsonValue(qint64(id))},
                  {"state", taskStateName(state)},
                  {"voice", voice},
                  {"text", textPreview},
                  {"format", audioFormatName(format)},
                  {"turns", turns},
                  {"turns_done", turnsDone},
                  {"progress", progress},
                  {"audio_seconds", audioSeconds},
                  {"created", created.toString(Qt::ISODateWithMs)}};
    if (etaSeconds >= 0 && !over())
        o["eta_seconds"] = etaSeconds;
    if (!engine.isEmpty())
        o["engine"] = engine;
    if (state == TaskState::Failed)
        o["error"] = error;
    if (ended.isValid())
        o["ended"] = ended.toString(Qt::ISODateWithMs);
    const QString base = QStringLiteral("/api/tasks/%1").arg(id);
    o["urls"] = QJsonObject{{"self", base}, {"events", base + "/events"}, {"audio", base + "/audio"}};
    if (state == TaskState::Done)
        o["result"] = QJsonObject{{"audio_url", base + "/audio?format=" + audioFormatName(format)},
                                  {"duration_seconds", audioSeconds},
                                  {"sample_rate", kOutputSampleRate},
                                  {"seed", QString::number(seed)}};
    return o;
}

ApiTasks::ApiTasks(TaskEngine* tasks, QString takesDir, int retained, QObject* parent)
    : QObject(parent), m_tasks(tasks), m_takesDir(std::move(takesDir)), m_retained(retained) {}

ApiTasks::~ApiTasks() {
    // Runs hold signal connections to the task engine; they go first, quietly.
    for (auto& [id, task] : m_byId)
        if (task->run)
            task->run->disconnect(this);
}

JobId ApiTasks::create(QList<ConversationTurn> turns, const GenerationParams& params, const JobOptions& options,
                       AudioFormat format, const QString& client) {
    auto task = std::make_unique<ApiTask>();
    task->client = client;
    task->format = format;
    task->turns = int(turns.size());
    task->voice = turns.isEmpty() ? QString() : turns.front().character.id;
    task->textPreview = turns.isEmpty() ? QString() : turns.front().text.left(kPreviewCharacters);
    task->created = QDateTime::currentDateTimeUtc();
    task->run = std::make_unique<ConversationRun>(m_tasks, std::move(turns), params, options);
    ConversationRun* run = task->run.get();
    const JobId id = run->start();   // throws when refused; nothing is kept then
    task->id = id;
    ApiTask* t = task.get();
    m_byId.emplace(id, std::move(task));

    connect(run, &ConversationRun::started, this, [this, t](JobId, const QString& engine) {
        t->engine = engine;
        if (t->state == TaskState::Queued) {
            t->state = TaskState::Running;
            record(*t, "started");
        }
    });
    connect(run, &ConversationRun::progress, this, [this, t, run](JobId, const JobProgress& p) {
        const double turn = p.unitsTotal > 0 ? std::min(1.0, double(p.unitsDone) / p.unitsTotal) : 0.0;
        t->turnsDone = run->turnsDone();
        t->progress = (t->turnsDone + turn) / std::max(1, t->turns);
        t->etaSeconds = p.etaSeconds;
        t->audioSeconds = double(run->take().size()) / kOutputSampleRate;
        t->lastProgress = t->toJson();
        Q_EMIT event(t->id, "progress", t->lastProgress);
    });
    connect(run, &ConversationRun::audio, this, [this, t](const QVector<float>& samples) { Q_EMIT audio(t->id, samples); });
    connect(run, &ConversationRun::finished, this, [this, t, run](const JobResult& last) {
        t->seed = last.speech.seed;
        t->engine = last.speech.engineName;
        t->takePath = QDir(m_takesDir).filePath(QStringLiteral("%1.wav").arg(t->id));
        try {
            writeAudio(t->takePath, AudioBuffer{run->take(), kOutputSampleRate, 1}, SampleFormat::Float32);
        } catch (const Error& e) {
            finish(t->id, TaskState::Failed, e.sentence());
            return;
        }
        finish(t->id, TaskState::Done, {});
    });
    connect(run, &ConversationRun::failed, this, [this, t](const QString& sentence) { finish(t->id, TaskState::Failed, sentence); });
    connect(run, &ConversationRun::cancelled, this, [this, t] { finish(t->id, TaskState::Cancelled, {}); });
    record(*t, "queued");
    logger(LogArea::Api)->info("task {} queued for {}: {} turn(s)", id, client, t->turns);
    return id;
}

void ApiTasks::record(ApiTask& task, const QByteArray& name) {
    QJsonObject data = task.toJson();
    data["event"] = QString::fromLatin1(name);
    task.events.push_back(data);
    Q_EMIT event(task.id, name, data);
}

void ApiTasks::finish(JobId id, TaskState state, const QString& error) {
    const auto it = m_byId.find(id);
    if (it == m_byId.end() || it->second->over())
        return;
    ApiTask& t = *it->second;
    t.state = state;
    t.error = error;
    t.ended = QDateTime::currentDateTimeUtc();
    if (t.run) {
        t.audioSeconds = double(t.run->take().size()) / kOutputSampleRate;
        if (state == TaskState::Done)
            t.progress = 1.0, t.turnsDone = t.turns;
        t.run->disconnect(this);
        t.run.release()->deleteLater();   // we may be inside one of its signals
    }
    record(t, state == TaskState::Done ? "done" : state == TaskState::Failed ? "failed" : "cancelled");
    logger(LogArea::Api)->info("task {} {}{}", id, taskStateName(state), error.isEmpty() ? QString() : ": " + error);
    m_ended.push_back(id);
    forgetOld();
}

void ApiTasks::forgetOld() {
    while (int(m_ended.size()) > m_retained) {
        const auto it = m_byId.find(m_ended.front());
        m_ended.pop_front();
        if (it == m_byId.end())
            continue;
        if (!it->second->takePath.isEmpty())
            QFile::remove(it->second->takePath);
        m_byId.erase(it);
    }
}

bool ApiTasks::cancel(JobId id) {
    const auto it = m_byId.find(id);
    if (it == m_byId.end() || it->second->over() || !it->second->run)
        return false;
    it->second->run->cancel();
    return true;
}

void ApiTasks::cancelAll() {
    for (auto& [id, task] : m_byId)
        if (!task->over() && task->run)
            task->run->cancel();
}

const ApiTask* ApiTasks::find(JobId id) const {
    const auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : it->second.get();
}

QList<const ApiTask*> ApiTasks::list(int offset, int limit) const {
    QList<const ApiTask*> out;
    int skipped = 0;
    for (auto it = m_byId.rbegin(); it != m_byId.rend() && out.size() < limit; ++it)
        if (skipped++ >= offset)
            out << it->second.get();
    return out;
}

int ApiTasks::activeFor(const QString& client) const {
    int n = 0;
    for (const auto& [id, task] : m_byId)
        n += !task->over() && task->client == client;
    return n;
}

int ApiTasks::active() const {
    int n = 0;
    for (const auto& [id, task] : m_byId)
        n += !task->over();
    return n;
}

QByteArray ApiTasks::encodedAudio(JobId id, AudioFormat format) {
    for (const auto& [key, bytes] : m_encoded)
        if (key == std::pair{id, format})
            return bytes;
    const ApiTask* t = find(id);
    if (!t || t->takePath.isEmpty())
        throw Error(ErrorKind::NotFound, QStringLiteral("Task %1 has no audio.").arg(id));
    const AudioBuffer take = readAudio(t->takePath, ChannelMode::MixToMono);
    QByteArray bytes = encodeAudio(take.samples, take.sampleRate, format);
    m_encoded.emplace_back(std::pair{id, format}, bytes);
    if (m_encoded.size() > kEncodingsKept)
        m_encoded.pop_front();
    return bytes;
}

} // namespace echoforge::api
