#include "core/tasks/job_codec.h"

#include <QJsonArray>

namespace echoforge {
namespace {

QJsonObject segmentToJson(const ReferenceSegment& s) {
    return {{"audioPath", s.audioPath}, {"transcript", s.transcript}, {"speakerId", s.speakerId}};
}

ReferenceSegment segmentFromJson(const QJsonObject& o) {
    ReferenceSegment s;
    s.audioPath = o.value("audioPath").toString();
    s.transcript = o.value("transcript").toString();
    s.speakerId = o.value("speakerId").toInt();
    return s;
}

QJsonArray segmentsToJson(const QList<ReferenceSegment>& segments) {
    QJsonArray a;
    for (const ReferenceSegment& s : segments)
        a.append(segmentToJson(s));
    return a;
}

QList<ReferenceSegment> segmentsFromJson(const QJsonArray& a) {
    QList<ReferenceSegment> out;
    for (const QJsonValue& v : a)
        out.append(segmentFromJson(v.toObject()));
    return out;
}

QJsonObject characterToJson(const Character& c) {
    return {{"id", c.id},
            {"name", c.name},
            {"gender", c.gender},
            {"ageRange", c.ageRange},
            {"language", c.language},
            {"accent", c.accent},
            {"styles", QJsonArray::fromStringList(c.styles)},
            {"description", c.description},
            {"sampleText", c.sampleText},
            {"avatarPath", c.avatarPath},
            {"folder", c.folder},
            {"builtIn", c.builtIn},
            {"segments", segmentsToJson(c.segments)},
            {"csmSpeakerId", c.csmSpeakerId},
            {"espeak", QJsonObject{{"voice", c.espeak.voice},
                                   {"variant", c.espeak.variant},
                                   {"pitch", c.espeak.pitch},
                                   {"rate", c.espeak.rate}}}};
}

Character characterFromJson(const QJsonObject& o) {
    Character c;
    c.id = o.value("id").toString();
    c.name = o.value("name").toString();
    c.gender = o.value("gender").toString();
    c.ageRange = o.value("ageRange").toString();
    c.language = o.value("language").toString(c.language);
    c.accent = o.value("accent").toString();
    for (const QJsonValue& v : o.value("styles").toArray())
        c.styles.append(v.toString());
    c.description = o.value("description").toString();
    c.sampleText = o.value("sampleText").toString();
    c.avatarPath = o.value("avatarPath").toString();
    c.folder = o.value("folder").toString();
    c.builtIn = o.value("builtIn").toBool();
    c.segments = segmentsFromJson(o.value("segments").toArray());
    c.csmSpeakerId = o.value("csmSpeakerId").toInt();
    const QJsonObject e = o.value("espeak").toObject();
    c.espeak.voice = e.value("voice").toString(c.espeak.voice);
    c.espeak.variant = e.value("variant").toString();
    c.espeak.pitch = e.value("pitch").toInt(c.espeak.pitch);
    c.espeak.rate = e.value("rate").toInt(c.espeak.rate);
    return c;
}

} // namespace

QJsonObject paramsToJson(const GenerationParams& p) {
    QJsonObject o{{"temperature", p.temperature}, {"topK", p.topK}, {"maxSeconds", p.maxSeconds}};
    // JSON numbers are doubles: a 64-bit seed travels as a decimal string to stay exact.
    if (p.seed)
        o.insert("seed", QString::number(*p.seed));
    return o;
}

GenerationParams paramsFromJson(const QJsonObject& o) {
    GenerationParams p;
    p.temperature = o.value("temperature").toDouble(p.temperature);
    p.topK = o.value("topK").toInt(p.topK);
    p.maxSeconds = o.value("maxSeconds").toDouble(p.maxSeconds);
    bool ok = false;
    const std::uint64_t seed = o.value("seed").toString().toULongLong(&ok);
    if (ok)
        p.seed = seed;
    return p;
}

QJsonObject requestToJson(const SpeechRequest& r) {
    return {{"text", r.text},
            {"character", characterToJson(r.character)},
            {"params", paramsToJson(r.params)},
            {"extraContext", segmentsToJson(r.extraContext)},
            {"useVoiceAnchor", r.useVoiceAnchor}};
}

SpeechRequest requestFromJson(const QJsonObject& o) {
    SpeechRequest r;
    r.text = o.value("text").toString();
    r.character = characterFromJson(o.value("character").toObject());
    r.params = paramsFromJson(o.value("params").toObject());
    r.extraContext = segmentsFromJson(o.value("extraContext").toArray());
    r.useVoiceAnchor = o.value("useVoiceAnchor").toBool(true);
    return r;
}

QJsonObject optionsToJson(const JobOptions& o) {
    return {{"priority", jobPriorityName(o.priority)},
            {"engine", engineSelectionName(o.engine)},
            {"outputPath", o.outputPath},
            {"keepInHistory", o.keepInHistory}};
}

JobOptions optionsFromJson(const QJsonObject& json) {
    JobOptions o;
    o.priority = jobPriorityFromName(json.value("priority").toString(), o.priority);
    const QString engine = json.value("engine").toString();
    o.engine = engine.isEmpty() ? EngineSelection::Auto : engineSelectionFromName(engine);
    o.outputPath = json.value("outputPath").toString();
    o.keepInHistory = json.value("keepInHistory").toBool(true);
    return o;
}

} // namespace echoforge
