#include "fake_hub.h"

#include <memory>
#include <utility>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

FakeHub::FakeHub() {
    hub_.listen(QHostAddress(QStringLiteral("127.0.0.1")));
    cdn_.listen(QHostAddress(QStringLiteral("127.0.0.2")));
    connect(&hub_, &QTcpServer::newConnection, this, [this] {
        while (auto* s = hub_.nextPendingConnection())
            serve(s, QStringLiteral("127.0.0.1"));
    });
    connect(&cdn_, &QTcpServer::newConnection, this, [this] {
        while (auto* s = cdn_.nextPendingConnection())
            serve(s, QStringLiteral("127.0.0.2"));
    });
}

bool FakeHub::listening() const { return hub_.isListening() && cdn_.isListening(); }
QString FakeHub::endpoint() const { return QStringLiteral("http://127.0.0.1:%1").arg(hub_.serverPort()); }

void FakeHub::addFile(const QString& repo, const QString& name, FakeHubFile file) { files_[repo + '/' + name] = std::move(file); }

QByteArray FakeHub::sha256Hex(const QByteArray& bytes) { return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex(); }

QByteArray FakeHub::gitBlobId(const QByteArray& bytes) {
    return QCryptographicHash::hash("blob " + QByteArray::number(bytes.size()) + '\0' + bytes, QCryptographicHash::Sha1).toHex();
}

void FakeHub::serve(QTcpSocket* socket, const QString& host) {
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    auto buffer = std::make_shared<QByteArray>();
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, host, buffer] {
        *buffer += socket->readAll();
        const qsizetype end = buffer->indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer->left(end).split('\n');
        buffer->remove(0, end + 4);
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        std::map<QByteArray, QByteArray> headers;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                headers[lines[i].left(colon).trimmed().toLower()] = lines[i].mid(colon + 1).trimmed();
        }
        respond(socket, host, first.value(0), QString::fromLatin1(QByteArray::fromPercentEncoding(first.value(1))), headers);
    });
}

void FakeHub::respond(QTcpSocket* socket, const QString& host, const QByteArray& method, const QString& path,
                      const std::map<QByteArray, QByteArray>& headers) {
    const auto header = [&](const char* name) { const auto it = headers.find(name); return it == headers.end() ? QByteArray() : it->second; };
    requests.append({host, path, header("authorization"), header("range")});
    const auto plain = [&](int status, const QByteArray& reason, const QByteArray& extra = {}, const QByteArray& body = {}) {
        sendBody(socket, status, "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n" + extra, body, -1);
    };
    if (method != "GET")
        return plain(405, "Method Not Allowed");

    static const QRegularExpression kResolve(QStringLiteral("^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$"));
    static const QRegularExpression kTree(QStringLiteral("^/api/models/([^/]+/[^/]+)/tree/([^/]+)$"));
    static const QRegularExpression kBlob(QStringLiteral("^/blob/([0-9a-f]{64})$"));
    if (host == QLatin1String("127.0.0.2")) {
        const auto m = kBlob.match(path);
        for (const auto& [key, file] : files_)
            if (m.hasMatch() && sha256Hex(file.bytes) == m.captured(1).toLatin1()) {
                QByteArray body = file.bytes;
                if (corrupt && !body.isEmpty())
                    body[body.size() / 2] = char(body[body.size() / 2] ^ 0x5a);
                qint64 from = 0;
                const auto range = QRegularExpression("^bytes=(\\d+)-$").match(QString::fromLatin1(header("range")));
                if (range.hasMatch() && !ignoreRange) {
                    from = range.captured(1).toLongLong();
                    if (from >= body.size())
                        return plain(416, "Range Not Satisfiable", "Content-Range: bytes */" + QByteArray::number(body.size()) + "\r\n");
                    const QByteArray head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + QByteArray::number(from) + '-' +
                                            QByteArray::number(body.size() - 1) + '/' + QByteArray::number(body.size()) + "\r\n";
                    const qint64 cut = std::exchange(cutNextAfter, -1);
                    return sendBody(socket, 206, head, body.mid(from), cut);
                }
                const qint64 cut = std::exchange(cutNextAfter, -1);
                return sendBody(socket, 200, "HTTP/1.1 200 OK\r\n", body, cut);
            }
        return plain(404, "Not Found");
    }

    QString repo;
    if (const auto m = kTree.match(path); m.hasMatch())
        repo = m.captured(1);
    else if (const auto r = kResolve.match(path); r.hasMatch())
        repo = r.captured(1);
    if (const auto g = gated_.find(repo); g != gated_.end()) {
        if (header("authorization").isEmpty())
            return plain(401, "Unauthorized", "X-Error-Code: GatedRepo\r\n");
        if (header("authorization") != "Bearer " + g->second)
            return plain(403, "Forbidden", "X-Error-Code: GatedRepo\r\n");
    }
    if (const auto m = kTree.match(path); m.hasMatch()) {
        QJsonArray listing;
        for (const auto& [key, file] : files_) {
            if (!key.startsWith(repo + '/'))
                continue;
            QJsonObject entry{{"type", "file"}, {"path", key.mid(repo.size() + 1)}, {"size", double(file.bytes.size())},
                              {"oid", QString::fromLatin1(gitBlobId(file.bytes))}};
            if (file.lfs)
                entry["lfs"] = QJsonObject{{"oid", QString::fromLatin1(sha256Hex(file.bytes))}, {"size", double(file.bytes.size())}};
            listing.append(entry);
        }
        if (listing.isEmpty())
            return plain(404, "Not Found", "X-Error-Code: RepoNotFound\r\n");
        return plain(200, "OK", "Content-Type: application/json\r\n", QJsonDocument(listing).toJson());
    }
    const auto m = kResolve.match(path);
    const auto it = m.hasMatch() ? files_.find(m.captured(1) + '/' + m.captured(3)) : files_.end();
    if (it == files_.end())
        return plain(404, "Not Found", "X-Error-Code: EntryNotFound\r\n");
    const FakeHubFile& file = it->second;
    if (file.lfs) {
        const QByteArray sha = sha256Hex(file.bytes);
        return plain(302, "Found",
                     "Location: http://127.0.0.2:" + QByteArray::number(cdn_.serverPort()) + "/blob/" + sha + "\r\n" +
                         "X-Linked-Etag: \"" + sha + "\"\r\nX-Linked-Size: " + QByteArray::number(file.bytes.size()) + "\r\n" +
                         "ETag: \"" + gitBlobId("version https://git-lfs.github.com/spec/v1\n") + "\"\r\n");
    }
    return plain(200, "OK", "ETag: \"" + gitBlobId(file.bytes) + "\"\r\n", file.bytes);
}

void FakeHub::sendBody(QTcpSocket* socket, int, QByteArray head, const QByteArray& body, qint64 cutAfter) {
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
    socket->write(head);
    const QByteArray payload = cutAfter >= 0 ? body.left(cutAfter) : body;
    if (chunkBytes <= 0 || chunkDelayMs <= 0) {
        socket->write(payload);
        socket->disconnectFromHost();
        return;
    }
    // Slow: one chunk per tick; the socket may go away meanwhile (a cancelled download).
    auto* timer = new QTimer(socket);
    auto offset = std::make_shared<qint64>(0);
    connect(timer, &QTimer::timeout, socket, [socket, timer, payload, offset, step = chunkBytes] {
        socket->write(payload.mid(*offset, step));
        *offset += step;
        if (*offset >= payload.size()) {
            timer->stop();
            socket->disconnectFromHost();
        }
    });
    timer->start(chunkDelayMs);
}
