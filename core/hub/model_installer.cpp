#include "core/hub/model_installer.h"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include "core/common/logging.h"
#include "core/hub/model_store.h"

namespace echoforge {

ModelInstaller::ModelInstaller(QNetworkAccessManager* network, HubEndpoint hub, ModelStore* store, QObject* parent)
    : QObject(parent), network_(network), hub_(std::move(hub)), store_(store) {}

ModelInstaller::~ModelInstaller() {
    if (listing_)
        listing_->abort();
}

void ModelInstaller::install(const CatalogueModel& model) {
    model_ = model;
    index_ = 0;
    running_ = true;
    logger(LogArea::Core)->info("Getting {} from {} at {}", model.id.toStdString(), model.repo.toStdString(), model.revision.toStdString());
    if (model_.fineTune && model_.files.isEmpty())
        listFineTune();
    else
        next();
}

void ModelInstaller::listFineTune() {
    // huggingface_hub HfApi.list_repo_tree: GET /api/models/{repo}/tree/{revision}
    QUrl url = hub_.base;
    QString base = url.path();
    if (base.endsWith('/'))
        base.chop(1);
    url.setPath(base + QStringLiteral("/api/models/%1/tree/%2").arg(model_.repo, model_.revision));
    QNetworkRequest req(url);
    if (!hub_.token.isEmpty() && hub_.mayReceiveToken(url))
        req.setRawHeader("Authorization", "Bearer " + hub_.token.toUtf8());
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    listing_ = network_->get(req);
    connect(listing_, &QNetworkReply::finished, this, [this, reply = listing_.data()] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200)
            return done(status == 0 ? QStringLiteral("Cannot reach the hub to list %1: %2. Check the connection and try again.")
                                          .arg(model_.repo, reply->errorString())
                                    : hubStatusSentence(status, hub_, model_.repo, model_.revision, QStringLiteral("(file list)")));
        for (const QJsonValue& v : QJsonDocument::fromJson(reply->readAll()).array()) {
            const QJsonObject o = v.toObject();
            const QString path = o.value("path").toString();
            const bool wanted = path == QLatin1String("config.json") || path.endsWith(QLatin1String(".safetensors")) ||
                                path.endsWith(QLatin1String(".safetensors.index.json"));
            if (o.value("type").toString() != QLatin1String("file") || path.contains('/') || !wanted)
                continue;
            const QJsonObject lfs = o.value("lfs").toObject();
            model_.files.append({path, std::int64_t(o.value("size").toDouble(-1)), lfs.value("oid").toString().toLower()});
        }
        const bool hasConfig = std::any_of(model_.files.begin(), model_.files.end(), [](const CatalogueFile& f) { return f.name == QLatin1String("config.json"); });
        if (!hasConfig || model_.files.size() < 2)
            return done(QStringLiteral("%1 does not look like a CSM checkpoint: it needs config.json and safetensors weights at the top "
                                       "of the repository.").arg(model_.repo));
        next();
    });
}

void ModelInstaller::next() {
    if (!running_)
        return;
    if (index_ >= model_.files.size()) {
        if (model_.fineTune) {   // its weights replace the others in csm/, which the loader might pick first
            const QDir csm(QDir(store_->modelsDir()).filePath(model_.folder));
            for (const QString& old : csm.entryList({"*.safetensors", "*.safetensors.index.json"}, QDir::Files))
                if (std::none_of(model_.files.begin(), model_.files.end(), [&](const CatalogueFile& f) { return f.name == old; }))
                    QFile::remove(csm.filePath(old));
        }
        return done({});
    }
    const CatalogueFile& file = model_.files.at(index_);
    DownloadRequest request{model_.repo, model_.revision, file.name,
                            QDir(store_->modelsDir()).filePath(model_.folder + '/' + file.name), file.sha256, file.size};
    // Already here and verified: nothing to fetch.
    if (const auto sha = store_->recordedSha256(request.destination); sha && (file.sha256.isEmpty() || *sha == file.sha256)) {
        ++index_;
        return next();
    }
    download_ = std::make_unique<FileDownload>(network_, hub_, request);
    if (freeSpace)
        download_->freeSpace = freeSpace;
    const int files = int(model_.files.size()), index = index_;
    connect(download_.get(), &FileDownload::progress, this,
            [this, index, files, name = file.name](const DownloadProgress& p) { Q_EMIT progress(index, files, name, p); });
    connect(download_.get(), &FileDownload::finished, this, [this](const QString& error, const QString& sha) {
        const QString destination = download_->request().destination;
        download_.release()->deleteLater();   // we are inside its signal
        if (!error.isEmpty())
            return done(error);
        store_->recordVerified(destination, sha);
        ++index_;
        next();
    });
    download_->start();
}

void ModelInstaller::cancel() {
    if (!running_)
        return;
    if (download_)
        return download_->cancel();   // finished() follows from its sentence
    done(QStringLiteral("Getting %1 was cancelled.").arg(model_.title));
    if (listing_)
        listing_->abort();   // its finished() then finds nothing running
}

void ModelInstaller::done(const QString& error) {
    if (!running_)
        return;
    running_ = false;
    Q_EMIT finished(error);
}

} // namespace echoforge
