#include "core/voices/character_json.h"

#include <cmath>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "core/common/error.h"

namespace echoforge {
namespace {

const QStringList kGenders{"female", "male", "neutral"};
constexpr int kMinPitch = 0, kMaxPitch = 100;
constexpr int kMinRate = 80, kMaxRate = 450;

QString jsonTypeName(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return "true/false";
    case QJsonValue::Double: return "a number";
    case QJsonValue::String: return "a string";
    case QJsonValue::Array: return "a list";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: return "nothing";
    }
    return "something else";
}

// Reads fields of one JSON object; every failure names the file and the field's full path.
class FieldReader {
public:
    FieldReader(QJsonObject object, QString file, QString prefix = {})
        : object_(std::move(object)), file_(std::move(file)), prefix_(std::move(prefix)) {}

    [[noreturn]] void fail(const QString& key, const QString& problem) const {
        throw Error(QStringLiteral("%1: field '%2' %3.").arg(file_, prefix_ + key, problem));
    }

    bool has(const QString& key) const { return object_.contains(key) && !object_[key].isNull(); }

    QString string(const QString& key, bool required, const QString& fallback = {}) const {
        if (!has(key)) {
            if (required)
                fail(key, "is missing");
            return fallback;
        }
        const QJsonValue v = object_[key];
        if (!v.isString())
            fail(key, QStringLiteral("must be a string, not %1").arg(jsonTypeName(v)));
        const QString s = v.toString().trimmed();
        if (required && s.isEmpty())
            fail(key, "is empty");
        return s;
    }

    int integer(const QString& key, int low, int high, int fallback) const {
        if (!has(key))
            return fallback;
        const QJsonValue v = object_[key];
        const double d = v.toDouble();
        // Checked before any conversion: casting a double beyond qint64 to it is undefined.
        if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d))
            fail(key, QStringLiteral("must be a whole number, not %1").arg(v.isDouble() ? QString::number(d) : jsonTypeName(v)));
        if (d < low || d > high)
            fail(key, QStringLiteral("must be between %1 and %2, not %3").arg(low).arg(high).arg(d));
        return int(d);
    }

    QStringList stringList(const QString& key) const {
        if (!has(key))
            return {};
        const QJsonValue v = object_[key];
        if (!v.isArray())
            fail(key, QStringLiteral("must be a list of strings, not %1").arg(jsonTypeName(v)));
        QStringList out;
        for (const QJsonValue& item : v.toArray()) {
            if (!item.isString())
                fail(key, QStringLiteral("must hold only strings, not %1").arg(jsonTypeName(item)));
            out << item.toString().trimmed().toLower();
        }
        return out;
    }

    FieldReader child(const QString& key) const {
        const QJsonValue v = object_[key];
        if (!v.isObject())
            fail(key, QStringLiteral("must be an object, not %1").arg(jsonTypeName(v)));
        return FieldReader(v.toObject(), file_, prefix_ + key + ".");
    }

    QList<FieldReader> children(const QString& key) const {
        if (!has(key))
            return {};
        const QJsonValue v = object_[key];
        if (!v.isArray())
            fail(key, QStringLiteral("must be a list, not %1").arg(jsonTypeName(v)));
        QList<FieldReader> out;
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString path = QStringLiteral("%1[%2]").arg(key).arg(i);
            if (!array[i].isObject())
                fail(path, QStringLiteral("must be an object, not %1").arg(jsonTypeName(array[i])));
            out << FieldReader(array[i].toObject(), file_, prefix_ + path + ".");
        }
        return out;
    }

    // A file named relative to the character's folder that must exist there.
    QString existingFile(const QString& key, const QString& folder, bool required) const {
        const QString name = string(key, required);
        if (name.isEmpty())
            return {};
        const QString path = QDir(folder).absoluteFilePath(name);
        if (!QFileInfo(path).isFile())
            fail(key, QStringLiteral("names %1, which does not exist").arg(path));
        return QDir::cleanPath(path);
    }

private:
    QJsonObject object_;
    QString file_;
    QString prefix_;
};

QString relativeToFolder(const QString& folder, const QString& path) {
    if (path.isEmpty() || folder.isEmpty())
        return path;
    const QString rel = QDir(folder).relativeFilePath(path);
    return rel.startsWith("..") ? path : rel;
}

} // namespace

bool isValidCharacterId(const QString& id) {
    static const QRegularExpression pattern("^[a-z0-9][a-z0-9-]{0,63}$");
    return pattern.match(id).hasMatch();
}

QString characterIdFromName(const QString& name) {
    // Decompose accents away ("É" -> "E" + combining mark), then keep [a-z0-9] runs joined by '-'.
    const QString plain = name.normalized(QString::NormalizationForm_KD).toLower();
    QString id;
    bool pendingDash = false;
    for (QChar ch : plain) {
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (pendingDash && !id.isEmpty())
                id += '-';
            id += ch;
            pendingDash = false;
        } else if (ch.category() != QChar::Mark_NonSpacing) {
            pendingDash = true;
        }
    }
    id.truncate(48);
    while (id.endsWith('-'))
        id.chop(1);
    return id.isEmpty() ? QStringLiteral("character") : id;
}

Character parseCharacterJson(const QByteArray& json, const QString& folder, const QString& file, bool builtIn) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        throw Error(QStringLiteral("%1: not valid JSON at byte %2 (%3).").arg(file).arg(parseError.offset).arg(parseError.errorString()));
    if (!doc.isObject())
        throw Error(QStringLiteral("%1: the file must hold one JSON object.").arg(file));
    const FieldReader root(doc.object(), file);

    if (!root.has("schema"))
        root.fail("schema", "is missing");
    const int schema = root.integer("schema", 1, 1000, 0);
    if (schema != kCharacterSchemaVersion)
        root.fail("schema", QStringLiteral("is %1, but this version of EchoForge reads schema %2").arg(schema).arg(kCharacterSchemaVersion));

    Character c;
    c.folder = QDir::cleanPath(QDir(folder).absolutePath());
    c.builtIn = builtIn;
    c.id = root.string("id", true);
    if (!isValidCharacterId(c.id))
        root.fail("id", QStringLiteral("is '%1'; use 1 to 64 lower-case letters, digits and '-'").arg(c.id));
    const QString folderName = QFileInfo(c.folder).fileName();
    if (c.id != folderName)
        root.fail("id", QStringLiteral("is '%1' but the folder is named '%2'; they must match").arg(c.id, folderName));
    c.name = root.string("name", true);
    c.gender = root.string("gender", true).toLower();
    if (!kGenders.contains(c.gender))
        root.fail("gender", QStringLiteral("is '%1'; use female, male or neutral").arg(c.gender));
    c.ageRange = root.string("age_range", true);
    c.language = root.string("language", false, "en");
    c.accent = root.string("accent", false);
    c.styles = root.stringList("styles");
    c.description = root.string("description", false);
    c.sampleText = root.string("sample_text", true);
    c.avatarPath = root.existingFile("avatar", c.folder, false);

    if (root.has("csm")) {
        const FieldReader csm = root.child("csm");
        c.csmSpeakerId = csm.integer("speaker_id", 0, 1023, 0);
        for (const FieldReader& seg : csm.children("segments")) {
            ReferenceSegment s;
            s.audioPath = seg.existingFile("audio", c.folder, true);
            s.transcript = seg.string("transcript", true);
            s.speakerId = seg.integer("speaker_id", 0, 1023, c.csmSpeakerId);
            c.segments << s;
        }
    }
    if (root.has("espeak")) {
        const FieldReader espeak = root.child("espeak");
        c.espeak.voice = espeak.string("voice", true);
        c.espeak.variant = espeak.string("variant", false);
        c.espeak.pitch = espeak.integer("pitch", kMinPitch, kMaxPitch, EspeakVoice{}.pitch);
        c.espeak.rate = espeak.integer("rate", kMinRate, kMaxRate, EspeakVoice{}.rate);
    } else {
        c.espeak.voice.clear();   // no eSpeak voice: only CSM speaks this character
    }
    return c;
}

Character readCharacterFolder(const QString& folder, bool builtIn) {
    const QString file = QDir(folder).filePath("character.json");
    QFile f(file);
    if (!f.exists())
        throw Error(QStringLiteral("%1 is missing; every character folder needs one.").arg(file));
    if (!f.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("%1 cannot be read: %2.").arg(file, f.errorString()));
    return parseCharacterJson(f.readAll(), folder, file, builtIn);
}

QByteArray characterToJson(const Character& c) {
    QJsonObject o;
    o["schema"] = kCharacterSchemaVersion;
    o["id"] = c.id;
    o["name"] = c.name;
    o["gender"] = c.gender;
    o["age_range"] = c.ageRange;
    o["language"] = c.language;
    if (!c.accent.isEmpty())
        o["accent"] = c.accent;
    o["styles"] = QJsonArray::fromStringList(c.styles);
    if (!c.description.isEmpty())
        o["description"] = c.description;
    o["sample_text"] = c.sampleText;
    if (!c.avatarPath.isEmpty())
        o["avatar"] = relativeToFolder(c.folder, c.avatarPath);
    if (c.csmSpeakerId != 0 || !c.segments.isEmpty()) {
        QJsonObject csm;
        csm["speaker_id"] = c.csmSpeakerId;
        QJsonArray segments;
        for (const ReferenceSegment& s : c.segments)
            segments.append(QJsonObject{{"audio", relativeToFolder(c.folder, s.audioPath)},
                                        {"transcript", s.transcript},
                                        {"speaker_id", s.speakerId}});
        csm["segments"] = segments;
        o["csm"] = csm;
    }
    if (!c.espeak.voice.isEmpty()) {
        QJsonObject espeak{{"voice", c.espeak.voice}, {"pitch", c.espeak.pitch}, {"rate", c.espeak.rate}};
        if (!c.espeak.variant.isEmpty())
            espeak["variant"] = c.espeak.variant;
        o["espeak"] = espeak;
    }
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace echoforge
