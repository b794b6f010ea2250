#include "core/hub/file_download.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QStorageInfo>

#include "core/common/logging.h"

namespace echoforge {

namespace {

constexpr int kMaxRedirects = 10;
constexpr int kStallTimeoutMs = 60'000;   // no byte for this long: the connection is taken as cut
constexpr qint64 kChunk = 4 << 20;

// An ETag or X-Linked-Etag without W/ and quotes, lower-case.
QString bareTag(const QByteArray& header) {
    QString tag = QString::fromLatin1(header).trimmed();
    if (tag.startsWith(QLatin1String("W/")))
        tag = tag.mid(2);
    tag.remove('"');
    return tag.toLower();
}

bool isHex(const QString& s, int length) {
    static const QRegularExpression kHex(QStringLiteral("^[0-9a-f]+$"));
    return s.size() == length && kHex.match(s).hasMatch();
}

// git's object id of a file: SHA-1 of "blob <size>\0" and the bytes (what the hub sends as ETag
// for a file kept in git rather than LFS).
QString gitBlobSha1(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(QByteArray("blob ") + QByteArray::number(f.size()) + QByteArray(1, '\0'));
    while (!f.atEnd())
        hash.addData(f.read(kChunk));
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace

QString byteText(std::int64_t bytes) {
    const double b = double(bytes);
    if (b >= 1e9) return QStringLiteral("%1 GB").arg(b / 1e9, 0, 'f', 2);
    if (b >= 1e6) return QStringLiteral("%1 MB").arg(b / 1e6, 0, 'f', 1);
    if (b >= 1e3) return QStringLiteral("%1 kB").arg(b / 1e3, 0, 'f', 0);
    return QStringLiteral("%1 bytes").arg(bytes);
}

QString progressText(const DownloadProgress& p) {
    QString text = p.total >= 0 ? QStringLiteral("%1 of %2").arg(byteText(p.bytes), byteText(p.total)) : byteText(p.bytes);
    if (p.bytesPerSecond > 0)
        text += QStringLiteral(", %1/s").arg(byteText(std::int64_t(p.bytesPerSecond)));
    if (p.secondsLeft >= 0) {
        const int s = int(p.secondsLeft + 0.5);
        text += s >= 3600 ? QStringLiteral(", %1 h %2 min left").arg(s / 3600).arg(s % 3600 / 60)
              : s >= 60   ? QStringLiteral(", %1 min left").arg((s + 59) / 60)   // whole minutes, never less than is left
                          : QStringLiteral(", %1 s left").arg(s);
    }
    return text;
}

QString fileSha256(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    while (!f.atEnd())
        hash.addData(f.read(kChunk));
    return QString::fromLatin1(hash.result().toHex());
}

FileDownload::FileDownload(QNetworkAccessManager* network, HubEndpoint hub, DownloadRequest request, QObject* parent)
    : QObject(parent), network_(network), hub_(std::move(hub)), request_(std::move(request)) {
    freeSpace = [](const QString& dir) { return std::int64_t(QStorageInfo(dir).bytesAvailable()); };
}

FileDownload::~FileDownload() {
    if (reply_) {
        reply_->disconnect(this);
        reply_->abort();
        reply_->deleteLater();
    }
}

void FileDownload::start() {
    running_ = true;
    done_ = false;
    bodyStarted_ = false;
    expectedSha_ = request_.sha256.toLower();
    expectedSize_ = request_.size;
    gitBlobId_.clear();
    const QFileInfo dest(request_.destination);
    if (!QDir().mkpath(dest.absolutePath()))
        return fail(QStringLiteral("Cannot create the folder %1.").arg(dest.absolutePath()));
    resumedFrom_ = QFileInfo(partPath()).size();
    if (expectedSize_ >= 0 && resumedFrom_ > expectedSize_) {
        QFile::remove(partPath());
        resumedFrom_ = 0;
    }
    if (expectedSize_ >= 0 && freeSpace(dest.absolutePath()) < expectedSize_ - resumedFrom_)
        return fail(QStringLiteral("Not enough free space in %1: %2 needs %3 more, %4 are free. Free some space and try again.")
                        .arg(dest.absolutePath(), request_.file, byteText(expectedSize_ - resumedFrom_),
                             byteText(freeSpace(dest.absolutePath()))));
    clock_.start();
    rateBytes_ = resumedFrom_;
    rateMs_ = 0;
    rate_ = 0;
    request(hub_.fileUrl(request_.repo, request_.revision, request_.file), 0);
}

void FileDownload::request(const QUrl& url, int redirects) {
    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setRawHeader("Accept-Encoding", "identity");   // the bytes as stored, so Range and SHA-256 apply
    req.setRawHeader("User-Agent", "EchoForge/" ECHOFORGE_VERSION);
    if (!hub_.token.isEmpty() && hub_.mayReceiveToken(url))
        req.setRawHeader("Authorization", "Bearer " + hub_.token.toUtf8());
    if (resumedFrom_ > 0)
        req.setRawHeader("Range", "bytes=" + QByteArray::number(qlonglong(resumedFrom_)) + '-');
    req.setTransferTimeout(kStallTimeoutMs);
    reply_ = network_->get(req);
    reply_->setProperty("redirects", redirects);
    connect(reply_, &QNetworkReply::metaDataChanged, this, &FileDownload::onHeaders);
    connect(reply_, &QNetworkReply::readyRead, this, &FileDownload::onData);
    connect(reply_, &QNetworkReply::finished, this, &FileDownload::onFinished);
}

void FileDownload::onHeaders() {
    if (!reply_ || done_ || bodyStarted_)
        return;
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (hub_.mayReceiveToken(reply_->url())) {   // metadata only from the hub itself, not a CDN
        const QString linked = bareTag(reply_->rawHeader("X-Linked-Etag"));
        if (expectedSha_.isEmpty() && isHex(linked, 64))
            expectedSha_ = linked;
        bool ok = false;
        const qint64 linkedSize = reply_->rawHeader("X-Linked-Size").toLongLong(&ok);
        if (expectedSize_ < 0 && ok)
            expectedSize_ = linkedSize;
        const QString etag = bareTag(reply_->rawHeader("ETag"));
        if (isHex(etag, 40))
            gitBlobId_ = etag;
    }
    if (status == 200 || status == 206)
        beginBody(status == 206 ? resumedFrom_ : 0);
}

bool FileDownload::beginBody(std::int64_t from) {
    if (from > 0) {
        // Content-Range: bytes FROM-LAST/TOTAL must start where the part ends.
        static const QRegularExpression kRange(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+|\\*)$"));
        const auto m = kRange.match(QString::fromLatin1(reply_->rawHeader("Content-Range")).trimmed());
        if (!m.hasMatch() || m.captured(1).toLongLong() != from) {
            fail(QStringLiteral("The server resumed %1 at the wrong place; the partial file was removed, try again.").arg(request_.file), true);
            return false;
        }
        if (expectedSize_ < 0 && m.captured(3) != QLatin1String("*"))
            expectedSize_ = m.captured(3).toLongLong();
    } else {
        resumedFrom_ = 0;   // a whole file (the server may ignore Range): start the part again
        const QVariant length = reply_->header(QNetworkRequest::ContentLengthHeader);
        if (expectedSize_ < 0 && length.isValid())
            expectedSize_ = length.toLongLong();
    }
    const QString dir = QFileInfo(request_.destination).absolutePath();
    if (expectedSize_ >= 0 && freeSpace(dir) < expectedSize_ - from) {
        fail(QStringLiteral("Not enough free space in %1: %2 needs %3 more, %4 are free. Free some space and try again.")
                 .arg(dir, request_.file, byteText(expectedSize_ - from), byteText(freeSpace(dir))));
        return false;
    }
    part_.setFileName(partPath());
    hash_.reset();
    if (from > 0) {
        if (!part_.open(QIODevice::ReadOnly)) {
            fail(QStringLiteral("Cannot read %1: %2.").arg(partPath(), part_.errorString()));
            return false;
        }
        while (!part_.atEnd())
            hash_.addData(part_.read(kChunk));
        part_.close();
    }
    if (!part_.open(from > 0 ? QIODevice::Append : QIODevice::WriteOnly | QIODevice::Truncate)) {
        fail(QStringLiteral("Cannot write %1: %2.").arg(partPath(), part_.errorString()));
        return false;
    }
    bytes_ = from;
    bodyStarted_ = true;
    logger(LogArea::Core)->info("Downloading {} of {} into {} (from byte {})", request_.file, request_.repo,
                                request_.destination, from);
    return true;
}

void FileDownload::onData() {
    if (!reply_ || done_)
        return;
    const QByteArray data = reply_->readAll();
    if (!bodyStarted_)
        return;   // a redirect's or an error's body
    if (part_.write(data) != data.size() || !part_.flush()) {
        fail(QStringLiteral("Cannot write %1: %2. The disk may be full: free some space and try again; the download "
                            "resumes where it stopped.").arg(partPath(), part_.errorString()));
        return;
    }
    hash_.addData(data);
    bytes_ += data.size();
    if (expectedSize_ >= 0 && bytes_ > expectedSize_)
        return fail(QStringLiteral("%1 is longer than the hub said (%2); the partial file was removed, try again.")
                        .arg(request_.file, byteText(expectedSize_)), true);
    const qint64 now = clock_.elapsed();
    if (now - rateMs_ >= 500) {
        const double instant = double(bytes_ - rateBytes_) * 1000.0 / double(std::max<qint64>(now - rateMs_, 1));
        rate_ = rate_ == 0 ? instant : 0.7 * rate_ + 0.3 * instant;
        rateBytes_ = bytes_;
        rateMs_ = now;
    }
    DownloadProgress p{bytes_, expectedSize_, rate_, -1};
    if (expectedSize_ >= 0 && rate_ > 0)
        p.secondsLeft = double(expectedSize_ - bytes_) / rate_;
    Q_EMIT progress(p);
}

void FileDownload::onFinished() {
    if (!reply_ || done_)
        return;
    QNetworkReply* reply = reply_;
    reply->deleteLater();
    onData();   // whatever arrived with the end
    if (done_)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply_ = nullptr;
    if (status >= 300 && status < 400 && reply->hasRawHeader("Location")) {
        const int redirects = reply->property("redirects").toInt();
        if (redirects >= kMaxRedirects)
            return fail(QStringLiteral("The hub redirected %1 too many times; try again later.").arg(request_.file));
        return request(reply->url().resolved(QUrl::fromEncoded(reply->rawHeader("Location"))), redirects + 1);
    }
    if (status == 416 && resumedFrom_ > 0) {   // the part already holds every byte
        part_.setFileName(partPath());
        hash_.reset();
        if (part_.open(QIODevice::ReadOnly)) {
            while (!part_.atEnd())
                hash_.addData(part_.read(kChunk));
            part_.close();
        }
        bytes_ = resumedFrom_;
        return verifyAndPlace();
    }
    if (status != 0 && (status < 200 || status >= 300))
        return fail(hubStatusSentence(status, hub_, request_.repo, request_.revision, request_.file));
    if (reply->error() != QNetworkReply::NoError || !bodyStarted_)
        return fail(QStringLiteral("The download of %1 stopped: %2. Check the connection and try again; it resumes where it stopped.")
                        .arg(request_.file, reply->errorString()));
    if (expectedSize_ >= 0 && bytes_ != expectedSize_)
        return fail(QStringLiteral("The download of %1 stopped after %2 of %3. Try again; it resumes where it stopped.")
                        .arg(request_.file, byteText(bytes_), byteText(expectedSize_)));
    verifyAndPlace();
}

void FileDownload::verifyAndPlace() {
    if (part_.isOpen())
        part_.close();
    const QString sha = QString::fromLatin1(hash_.result().toHex());
    QString expected = expectedSha_, got = sha;
    if (expected.isEmpty() && !gitBlobId_.isEmpty()) {
        expected = gitBlobId_;
        got = gitBlobSha1(partPath());
    }
    if (expected.isEmpty())
        return fail(QStringLiteral("%1 cannot be verified: neither the catalogue nor the hub gave its checksum. The partial "
                                   "file was removed.").arg(request_.file), true);
    if (got != expected)
        return fail(QStringLiteral("%1 arrived damaged: its checksum is %2, expected %3. The partial file was removed; try again.")
                        .arg(request_.file, got, expected), true);
    QFile::remove(request_.destination);
    if (!QFile::rename(partPath(), request_.destination))
        return fail(QStringLiteral("Cannot move %1 into place as %2.").arg(partPath(), request_.destination));
    done_ = true;
    running_ = false;
    logger(LogArea::Core)->info("{} of {} is in place and verified ({})", request_.file, request_.repo, sha.toStdString());
    Q_EMIT finished({}, sha);
}

void FileDownload::cancel() {
    if (!running_)
        return;
    fail(QStringLiteral("The download of %1 was cancelled; it resumes where it stopped next time.").arg(request_.file));
}

void FileDownload::fail(const QString& sentence, bool removePart) {
    done_ = true;
    running_ = false;
    if (reply_) {
        QNetworkReply* reply = reply_;
        reply_ = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (part_.isOpen())
        part_.close();
    if (removePart)
        QFile::remove(partPath());
    logger(LogArea::Core)->warn("{}", sentence.toStdString());
    Q_EMIT finished(sentence, {});
}

} // namespace echoforge
