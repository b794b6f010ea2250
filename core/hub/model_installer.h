#pragma once
// Gets one catalogue model from the hub into the model folder, file after file (FileDownload),
// with progress for the whole; a fine-tune's files are first listed by the hub
// (ENDPOINT/api/models/ORG/NAME/tree/REVISION, which gives each LFS file's SHA-256 and size).
// Each verified file is recorded in the ModelStore. The CLI and the studio's Models page both
// drive this class.

#include <memory>

#include <QObject>
#include <QPointer>

#include "core/hub/file_download.h"
#include "core/hub/model_catalogue.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace echoforge {

class ModelStore;

class ModelInstaller : public QObject {
    Q_OBJECT
public:
    // `network` and `store` are the caller's and must outlive this object.
    ModelInstaller(QNetworkAccessManager* network, HubEndpoint hub, ModelStore* store, QObject* parent = nullptr);
    ~ModelInstaller() override;

    void install(const CatalogueModel& model);
    // Stops the file in flight (its part stays for a resume); finished() follows with a sentence.
    void cancel();
    bool isRunning() const { return running_; }

    // For tests that act out a full disk: handed to every FileDownload.
    std::function<std::int64_t(const QString& dir)> freeSpace;

Q_SIGNALS:
    void progress(int file, int files, const QString& name, const echoforge::DownloadProgress& progress);
    // `error` empty: every file is in place and verified.
    void finished(const QString& error);

private:
    void listFineTune();
    void next();
    void done(const QString& error);

    QNetworkAccessManager* network_;   // not owned
    HubEndpoint hub_;
    ModelStore* store_;                // not owned
    CatalogueModel model_;
    int index_ = 0;
    bool running_ = false;
    std::unique_ptr<FileDownload> download_;   // the file in flight
    QPointer<QNetworkReply> listing_;          // a fine-tune's file list in flight
};

} // namespace echoforge
