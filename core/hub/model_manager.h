#pragma once
// The studio's model manager: the catalogue as a table (model, repository, state) for the Models
// page, and the one download in flight, which outlives the Settings dialog. Verify and import run
// on the thread pool; results come back queued. Owned by the main window.

#include <memory>

#include <QAbstractTableModel>
#include <QNetworkAccessManager>

#include "core/hub/model_catalogue.h"
#include "core/hub/model_installer.h"
#include "core/hub/model_store.h"

namespace echoforge {

class ModelManager : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Title, Repository, State, ColumnCount };

    ModelManager(QString modelsDir, QString token, QObject* parent = nullptr);
    ~ModelManager() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const CatalogueModel& entry(int row) const { return rows_.at(row); }
    bool busy() const { return installer_ != nullptr || working_; }
    QString modelsDir() const { return store_.modelsDir(); }
    void setModelsDir(const QString& dir);
    void setToken(const QString& token) { token_ = token; }

    // Adds a transformers-format fine-tune by its repository (throws a sentence for a bad name).
    int addFineTune(const QString& repo);
    void get(int row);
    void cancel();
    void verify(int row);
    void remove(int row);
    void importFolder(const QString& dir, ImportMode mode);

Q_SIGNALS:
    void status(const QString& text);
    // A get, verify, remove or import ended; `error` empty on success. `filesChanged`: the model
    // folder changed, so CSM should load again.
    void finished(const QString& error, bool filesChanged);

private:
    void refresh();
    void runInBackground(const std::function<QString()>& work);

    ModelStore store_;
    QString token_;
    QList<CatalogueModel> rows_;
    QList<QString> states_;                        // per row, for the State column
    QNetworkAccessManager network_;
    std::unique_ptr<ModelInstaller> installer_;    // the get in flight
    int installingRow_ = -1;
    QString installingText_;
    bool working_ = false;                         // a verify or import on the thread pool
};

} // namespace echoforge
