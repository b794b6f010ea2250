#include "core/api/api_token.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>

#include "core/common/error.h"

namespace echoforge::api {
namespace {

constexpr int kTokenBytes = 32;   // 256 bits

QString writeNewToken(const QString& path) {
    QByteArray raw(kTokenBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(raw.data()), kTokenBytes / 4);
    const QByteArray token = raw.toHex();
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        throw Error(ErrorKind::Io, QStringLiteral("Cannot create the folder for %1.").arg(path));
    QSaveFile file(path);
    // Owner read/write only, set before the token is in it.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner) ||
        file.write(token + '\n') != token.size() + 1 || !file.commit())
        throw Error(ErrorKind::Io, QStringLiteral("Cannot write the API token to %1: %2.").arg(path, file.errorString()));
    return QString::fromLatin1(token);
}

} // namespace

QString apiTokenPath(const QString& dataDir) { return QDir(dataDir).filePath("api-token"); }

QString resolveApiToken(const QString& dataDir) {
    const QString fromEnv = qEnvironmentVariable("ECHOFORGE_API_TOKEN").trimmed();
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString path = apiTokenPath(dataDir);
    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly))
            throw Error(ErrorKind::Io, QStringLiteral("Cannot read the API token in %1: %2.").arg(path, file.errorString()));
        const QString token = QString::fromLatin1(file.readAll()).trimmed();
        if (!token.isEmpty())
            return token;
    }
    return writeNewToken(path);
}

QString regenerateApiToken(const QString& dataDir) { return writeNewToken(apiTokenPath(dataDir)); }

} // namespace echoforge::api
