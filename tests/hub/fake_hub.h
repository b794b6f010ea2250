#pragma once
// A Hugging Face hub on loopback for tests: the hub's URL layout (/ORG/NAME/resolve/REV/FILE),
// LFS files answered with a redirect to a "CDN" on a second loopback address (127.0.0.2) and the
// X-Linked-Etag / X-Linked-Size headers, small files served directly with their git blob id as
// ETag, Range requests, the tree listing of /api/models/ORG/NAME/tree/REV, gated repositories
// (401 without a token, 403 with one that was not granted), 404, and misbehaviour on demand:
// a cut connection, a slow one, corrupted bytes.

#include <functional>
#include <map>

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QTcpServer>

class QTcpSocket;

struct FakeHubFile {
    QByteArray bytes;
    bool lfs = true;
};

struct FakeHubRequest {
    QString host;             // "127.0.0.1" (hub) or "127.0.0.2" (CDN)
    QString path;
    QByteArray authorization; // the Authorization header, empty when none
    QByteArray range;
};

class FakeHub : public QObject {
    Q_OBJECT
public:
    FakeHub();
    bool listening() const;
    QString endpoint() const;   // http://127.0.0.1:PORT

    // "ORG/NAME" at revision "main".
    void addFile(const QString& repo, const QString& name, FakeHubFile file);
    void setGated(const QString& repo, const QByteArray& grantedToken) { gated_[repo] = grantedToken; }

    // The next body from the CDN stops after this many bytes (the socket is closed), once.
    qint64 cutNextAfter = -1;
    // Bodies go out in chunks of this many bytes with this many ms between them (0: at once).
    qint64 chunkBytes = 0;
    int chunkDelayMs = 0;
    // The CDN flips a byte of every body it serves.
    bool corrupt = false;
    // A server that ignores Range and always sends the whole file.
    bool ignoreRange = false;

    QList<FakeHubRequest> requests;

    static QByteArray sha256Hex(const QByteArray& bytes);
    static QByteArray gitBlobId(const QByteArray& bytes);

private:
    void serve(QTcpSocket* socket, const QString& host);
    void respond(QTcpSocket* socket, const QString& host, const QByteArray& method, const QString& path,
                 const std::map<QByteArray, QByteArray>& headers);
    void sendBody(QTcpSocket* socket, int status, QByteArray head, const QByteArray& body, qint64 cutAfter);

    QTcpServer hub_, cdn_;
    std::map<QString, FakeHubFile> files_;          // "ORG/NAME/FILE"
    std::map<QString, QByteArray> gated_;           // repo → the token that was granted
};
