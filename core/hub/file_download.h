#pragma once
// One file from the hub into the model folder, verified: bytes go to DEST.part (resumed with an
// HTTP Range request after a cut, a cancel or a restart), and DEST appears only once the whole
// file's SHA-256 matches. The model folder therefore never holds a half-written DEST.
//
// Redirects are followed by hand so that the access token goes to the hub's host only, never to
// a CDN on another host (huggingface_hub does the same: it follows only relative redirects with
// the token).

#include <cstdint>
#include <memory>

#include <QByteArray>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include "core/hub/hub_endpoint.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace echoforge {

struct DownloadRequest {
    QString repo, revision, file;   // what the hub calls it
    QString destination;            // absolute path in the model folder
    QString sha256;                 // expected, lower-case hex; empty: the hub's X-Linked-Etag
    std::int64_t size = -1;         // expected bytes; -1: the hub's X-Linked-Size / Content-Length
};

struct DownloadProgress {
    std::int64_t bytes = 0;         // of the file, resumed bytes included
    std::int64_t total = -1;        // -1 while unknown
    double bytesPerSecond = 0;      // smoothed over the last seconds
    double secondsLeft = -1;        // -1 while unknown
};

// "1.4 GB of 6.2 GB, 12.5 MB/s, 6 min left"
QString progressText(const DownloadProgress& p);
QString byteText(std::int64_t bytes);

class FileDownload : public QObject {
    Q_OBJECT
public:
    // `network` is the caller's and must outlive this download.
    FileDownload(QNetworkAccessManager* network, HubEndpoint hub, DownloadRequest request, QObject* parent = nullptr);
    ~FileDownload() override;

    void start();
    // Stops now; DEST.part stays for a later resume. Emits finished with a "cancelled" sentence.
    void cancel();
    bool isRunning() const { return running_; }
    const DownloadRequest& request() const { return request_; }

    // Free bytes where DEST goes; tests replace it to act out a full disk.
    std::function<std::int64_t(const QString& dir)> freeSpace;

Q_SIGNALS:
    void progress(const echoforge::DownloadProgress& progress);
    // `error` empty: DEST is in place and verified; `sha256` is the file's.
    void finished(const QString& error, const QString& sha256);

private:
    void request(const QUrl& url, int redirects);
    void onHeaders();
    void onData();
    void onFinished();
    void fail(const QString& sentence, bool removePart = false);
    bool beginBody(std::int64_t resumedFrom);
    void verifyAndPlace();
    QString partPath() const { return request_.destination + QStringLiteral(".part"); }

    QNetworkAccessManager* network_;      // not owned
    HubEndpoint hub_;
    DownloadRequest request_;
    QPointer<QNetworkReply> reply_;       // the request in flight, owned by network_ until deleted
    QFile part_;                          // DEST.part while the body arrives
    QCryptographicHash hash_{QCryptographicHash::Sha256};
    QString expectedSha_;                 // from the request or the hub's X-Linked-Etag
    QString gitBlobId_;                   // a small file's ETag, when no SHA-256 is known
    std::int64_t expectedSize_ = -1;
    std::int64_t bytes_ = 0;
    std::int64_t resumedFrom_ = 0;
    bool bodyStarted_ = false;
    bool running_ = false;
    bool done_ = false;
    QElapsedTimer clock_;
    std::int64_t rateBytes_ = 0;          // bytes at the last rate sample
    qint64 rateMs_ = 0;
    double rate_ = 0;
};

// SHA-256 (lower-case hex) of a file, or empty if it cannot be read.
QString fileSha256(const QString& path);

} // namespace echoforge
