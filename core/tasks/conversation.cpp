#include "core/tasks/conversation.h"

#include "core/common/error.h"
#include "core/tasks/script.h"
#include "core/tasks/task_engine.h"

namespace echoforge {

std::optional<Character> characterNamed(const QList<Character>& characters, const QString& name) {
    const QString wanted = name.trimmed();
    for (const Character& c : characters)
        if (c.name.compare(wanted, Qt::CaseInsensitive) == 0 || c.id == wanted.toLower())
            return c;
    for (const Character& c : characters)
        if (c.name.section(' ', 0, 0).compare(wanted, Qt::CaseInsensitive) == 0)
            return c;
    return std::nullopt;
}

QList<ConversationTurn> resolveScript(const QString& script, const QList<Character>& characters) {
    const ScriptParse parse = parseScript(script);
    if (!parse.error.isEmpty())
        throw Error(ErrorKind::InvalidInput, parse.error);
    QList<ConversationTurn> turns;
    for (const ScriptTurn& t : parse.turns) {
        const auto character = characterNamed(characters, t.speaker);
        if (!character)
            throw Error(ErrorKind::InvalidInput,
                        QObject::tr("Line %1: there is no character called %2; check the name in the gallery.")
                            .arg(t.line).arg(t.speaker));
        turns << ConversationTurn{*character, t.text};
    }
    return turns;
}

ConversationRun::ConversationRun(TaskEngine* tasks, QList<ConversationTurn> turns, GenerationParams params,
                                 JobOptions options, QList<ReferenceSegment> context, QObject* parent)
    : QObject(parent), m_tasks(tasks), m_turns(std::move(turns)), m_context(std::move(context)),
      m_params(params), m_options(std::move(options)), m_turnCount(int(m_turns.size())),
      m_conversation(m_turns.size() > 1 || !m_context.isEmpty()) {
    connect(m_tasks, &TaskEngine::started, this, [this](JobId id, const QString& engine) {
        if (id == m_currentJob)
            Q_EMIT started(id, engine);
    });
    connect(m_tasks, &TaskEngine::progress, this, [this](JobId id, const JobProgress& p) {
        if (id == m_currentJob)
            Q_EMIT progress(id, p);
    });
    connect(m_tasks, &TaskEngine::audioChunk, this, &ConversationRun::onChunk);
    connect(m_tasks, &TaskEngine::finished, this, &ConversationRun::onFinished);
    connect(m_tasks, &TaskEngine::failed, this, &ConversationRun::onFailed);
    connect(m_tasks, &TaskEngine::cancelled, this, &ConversationRun::onCancelled);
}

JobId ConversationRun::start() {
    if (m_turns.isEmpty())
        throw Error(ErrorKind::InvalidInput, "There is nothing to speak: the take has no turns.");
    try {
        submitNext();
    } catch (const Error&) {
        m_turns.clear();
        throw;
    }
    return m_currentJob;
}

void ConversationRun::submitNext() {
    const ConversationTurn& turn = m_turns.front();
    if (!m_speakers.contains(turn.character.id))
        m_speakers << turn.character.id;
    SpeechRequest request;
    request.text = turn.text;
    request.character = turn.character;
    request.params = m_params;
    request.extraContext = m_context;
    // In a conversation every speaker gets its own CSM speaker id, by order of appearance.
    if (m_conversation)
        request.character.csmSpeakerId = int(m_speakers.indexOf(turn.character.id));
    m_currentJob = m_tasks->submit(request, m_options);
    m_jobs << m_currentJob;
    m_chunksArrived = false;
    Q_EMIT submitted(m_currentJob, request);
}

void ConversationRun::onChunk(JobId id, const QVector<float>& samples) {
    if (id != m_currentJob || !running())
        return;
    if (!m_chunksArrived && turnsDone() > 0) {
        const QVector<float> pause(qsizetype(kTurnPauseSeconds * kOutputSampleRate), 0.0f);
        m_take.insert(m_take.end(), pause.begin(), pause.end());
        Q_EMIT audio(pause);
    }
    m_chunksArrived = true;
    m_take.insert(m_take.end(), samples.begin(), samples.end());
    Q_EMIT audio(samples);
}

void ConversationRun::onFinished(JobId id, const JobResult& result) {
    if (id != m_currentJob || !running())
        return;
    // An engine that delivers no chunks: the whole turn at once.
    if (!m_chunksArrived && result.audio && !result.audio->empty())
        onChunk(id, QVector<float>(result.audio->begin(), result.audio->end()));
    const ConversationTurn done = m_turns.takeFirst();
    m_context << ReferenceSegment{result.audioPath, done.text, int(m_speakers.indexOf(done.character.id))};
    if (m_turns.isEmpty()) {
        end();
        Q_EMIT finished(result);
        return;
    }
    try {
        submitNext();
    } catch (const Error& e) {
        m_turns.clear();
        end();
        Q_EMIT failed(e.sentence());
    }
}

void ConversationRun::onFailed(JobId id, const QString& sentence) {
    if (id != m_currentJob || !running())
        return;
    m_turns.clear();
    end();
    Q_EMIT failed(sentence);
}

void ConversationRun::onCancelled(JobId id) {
    if (id != m_currentJob || !running())
        return;
    m_turns.clear();
    end();
    Q_EMIT cancelled();
}

void ConversationRun::cancel() {
    if (running() && m_currentJob != 0)
        m_tasks->cancel(m_currentJob);
}

void ConversationRun::end() {
    m_currentJob = 0;
}

} // namespace echoforge
