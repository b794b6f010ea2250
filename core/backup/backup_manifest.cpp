#include "core/backup/backup_manifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include "core/common/error.h"

namespace echoforge {
namespace {

// Bounds that no real data folder reaches; they keep a hostile manifest from costing much.
constexpr int kMaxPathLength = 1024;
constexpr qsizetype kMaxFiles = 1'000'000;

Error badManifest(const QString& why) {
    return Error(QStringLiteral("This file is not a usable EchoForge backup: its manifest %1.").arg(why));
}

} // namespace

qint64 BackupManifest::totalBytes() const {
    qint64 total = 0;
    for (const BackupFile& f : files) total += f.size;
    return total;
}

const BackupFile* BackupManifest::find(const QString& path) const {
    for (const BackupFile& f : files)
        if (f.path == path) return &f;
    return nullptr;
}

QByteArray BackupManifest::toJson() const {
    QJsonArray list;
    for (const BackupFile& f : files)
        list.append(QJsonObject{{"path", f.path}, {"size", f.size}, {"sha256", QString::fromLatin1(f.sha256)}});
    const QJsonObject root{{"format", kFormat},
                           {"version", kVersion},
                           {"appVersion", appVersion},
                           {"created", created.toUTC().toString(Qt::ISODate)},
                           {"files", list}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

BackupManifest BackupManifest::fromJson(const QByteArray& json) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        throw badManifest(QStringLiteral("is not JSON (%1)").arg(parseError.errorString()));
    const QJsonObject root = doc.object();
    if (root.value("format").toString() != QLatin1String(kFormat))
        throw badManifest(QStringLiteral("does not say it is an EchoForge backup"));
    const int version = root.value("version").toInt(-1);
    if (version > kVersion)
        throw Error(QStringLiteral("This backup was made by a newer EchoForge (backup format %1); update EchoForge to restore it.").arg(version));
    if (version < 1)
        throw badManifest(QStringLiteral("has no valid format version"));

    BackupManifest m;
    m.appVersion = root.value("appVersion").toString();
    m.created = QDateTime::fromString(root.value("created").toString(), Qt::ISODate);
    const QJsonValue files = root.value("files");
    if (!files.isArray())
        throw badManifest(QStringLiteral("has no list of files"));
    const QJsonArray list = files.toArray();
    if (list.size() > kMaxFiles)
        throw badManifest(QStringLiteral("lists more files than any data folder holds"));
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    QSet<QString> seen;
    for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        BackupFile f;
        f.path = o.value("path").toString();
        const double size = o.value("size").toDouble(-1);
        f.sha256 = o.value("sha256").toString().toLatin1();
        if (!isValidBackupPath(f.path))
            throw badManifest(QStringLiteral("names a file outside the data folder (\"%1\")").arg(f.path.left(kMaxPathLength)));
        // 2^53: larger doubles are no longer exact byte counts.
        if (size < 0 || size > 9007199254740992.0 || size != static_cast<double>(static_cast<qint64>(size)))
            throw badManifest(QStringLiteral("has no valid size for %1").arg(f.path));
        if (!hex64.match(QString::fromLatin1(f.sha256)).hasMatch())
            throw badManifest(QStringLiteral("has no valid SHA-256 for %1").arg(f.path));
        if (seen.contains(f.path))
            throw badManifest(QStringLiteral("lists %1 twice").arg(f.path));
        seen.insert(f.path);
        f.size = static_cast<qint64>(size);
        m.files << f;
    }
    return m;
}

bool isValidBackupPath(const QString& path) {
    if (path.isEmpty() || path.size() > kMaxPathLength)
        return false;
    if (path == QLatin1String(BackupManifest::kSettingsPath))
        return true;
    if (!path.startsWith(QLatin1String(BackupManifest::kDataPrefix)))
        return false;
    const QStringList parts = path.split('/');
    for (const QString& part : parts) {
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return false;
        for (QChar c : part)
            if (c == '\\' || c.unicode() < 0x20 || c.unicode() == 0x7f) return false;
    }
    return parts.size() >= 2;
}

} // namespace echoforge
