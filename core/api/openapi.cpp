#include "core/api/openapi.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace echoforge::api {
namespace {

QJsonObject errorSchema() {
    return QJsonObject{{"type", "object"},
                       {"properties", QJsonObject{{"error", QJsonObject{{"type", "object"},
                                                                        {"properties", QJsonObject{{"code", QJsonObject{{"type", "string"}}},
                                                                                                   {"message", QJsonObject{{"type", "string"}}}}},
                                                                        {"required", QJsonArray{"code", "message"}}}}}},
                       {"required", QJsonArray{"error"}}};
}

QJsonObject generateSchema() {
    const auto num = [](double lo, double hi) { return QJsonObject{{"type", "number"}, {"minimum", lo}, {"maximum", hi}}; };
    return QJsonObject{
        {"type", "object"},
        {"properties", QJsonObject{{"text", QJsonObject{{"type", "string"}}},
                                   {"script", QJsonObject{{"type", "string"}, {"description", "\"Name: text\" lines"}}},
                                   {"voice", QJsonObject{{"type", "string"}}},
                                   {"temperature", num(0.01, 2)},
                                   {"top_k", QJsonObject{{"type", "integer"}, {"minimum", 1}, {"maximum", 2051}}},
                                   {"seed", QJsonObject{{"oneOf", QJsonArray{QJsonObject{{"type", "integer"}}, QJsonObject{{"type", "string"}}}}}},
                                   {"max_seconds", num(0.5, 600)},
                                   {"format", QJsonObject{{"enum", QJsonArray{"wav", "flac", "ogg", "opus"}}}},
                                   {"priority", QJsonObject{{"enum", QJsonArray{"batch", "normal", "interactive"}}}},
                                   {"engine", QJsonObject{{"enum", QJsonArray{"auto", "csm", "espeak"}}}}}}};
}

QJsonObject speechSchema() {
    return QJsonObject{{"type", "object"},
                       {"required", QJsonArray{"input", "voice"}},
                       {"properties", QJsonObject{{"model", QJsonObject{{"type", "string"}}},
                                                  {"input", QJsonObject{{"type", "string"}}},
                                                  {"voice", QJsonObject{{"type", "string"}}},
                                                  {"response_format", QJsonObject{{"enum", QJsonArray{"wav", "flac", "pcm", "opus"}}}},
                                                  {"speed", QJsonObject{{"type", "number"}, {"minimum", 0.25}, {"maximum", 4}}}}}};
}

QJsonObject cloneSchema() {
    return QJsonObject{{"type", "object"},
                       {"required", QJsonArray{"audio", "name", "transcript"}},
                       {"properties", QJsonObject{{"audio", QJsonObject{{"type", "string"}, {"format", "binary"}}},
                                                  {"name", QJsonObject{{"type", "string"}}},
                                                  {"transcript", QJsonObject{{"type", "string"}}},
                                                  {"gender", QJsonObject{{"enum", QJsonArray{"female", "male", "neutral"}}}},
                                                  {"styles", QJsonObject{{"type", "string"}, {"description", "comma-separated"}}},
                                                  {"description", QJsonObject{{"type", "string"}}}}}};
}

QJsonObject jsonBody(const QJsonObject& schema) {
    return QJsonObject{{"required", true}, {"content", QJsonObject{{"application/json", QJsonObject{{"schema", schema}}}}}};
}

} // namespace

QJsonObject openApiDocument(const QList<Route>& routes) {
    static const QRegularExpression param(R"(\{([a-z_]+)\})");
    QJsonObject paths;
    for (const Route& r : routes) {
        QJsonObject op{{"summary", r.summary}};
        QJsonArray parameters;
        for (auto it = param.globalMatch(r.pattern); it.hasNext();)
            parameters.append(QJsonObject{{"name", it.next().captured(1)}, {"in", "path"}, {"required", true},
                                          {"schema", QJsonObject{{"type", "string"}}}});
        if (!parameters.isEmpty())
            op["parameters"] = parameters;
        if (!r.needsToken)
            op["security"] = QJsonArray{};
        if (r.method == "POST" && r.pattern == "/api/generate")
            op["requestBody"] = jsonBody(generateSchema());
        if (r.method == "POST" && r.pattern == "/v1/audio/speech")
            op["requestBody"] = jsonBody(speechSchema());
        if (r.method == "POST" && r.pattern == "/api/voices")
            op["requestBody"] = QJsonObject{{"required", true},
                                            {"content", QJsonObject{{"multipart/form-data", QJsonObject{{"schema", cloneSchema()}}}}}};
        const QJsonObject err{{"description", "Refused; the body says why"},
                              {"content", QJsonObject{{"application/json", QJsonObject{{"schema", QJsonObject{{"$ref", "#/components/schemas/Error"}}}}}}}};
        op["responses"] = QJsonObject{{"200", QJsonObject{{"description", "OK"}}}, {"default", err}};
        QJsonObject item = paths.value(r.pattern).toObject();
        item[QString::fromLatin1(r.method).toLower()] = op;
        paths[r.pattern] = item;
    }
    return QJsonObject{
        {"openapi", "3.0.3"},
        {"info", QJsonObject{{"title", "EchoForge API"}, {"version", ECHOFORGE_VERSION},
                             {"description", "Local speech generation: voices, generation tasks, an OpenAI-compatible speech route. See docs/api.md."}}},
        {"servers", QJsonArray{QJsonObject{{"url", "http://127.0.0.1:8765"}}}},
        {"components", QJsonObject{{"securitySchemes", QJsonObject{{"bearer", QJsonObject{{"type", "http"}, {"scheme", "bearer"}}}}},
                                   {"schemas", QJsonObject{{"Error", errorSchema()}}}}},
        {"security", QJsonArray{QJsonObject{{"bearer", QJsonArray{}}}}},
        {"paths", paths}};
}

} // namespace echoforge::api
