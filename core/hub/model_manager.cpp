#include "core/hub/model_manager.h"

#include <QPointer>
#include <QtConcurrent>

#include "core/common/error.h"

namespace echoforge {

namespace {

// One word for a model's files: installed, partly downloaded, missing, damaged, not verified.
QString stateOf(const QList<LocalFile>& files) {
    if (files.isEmpty())
        return QObject::tr("not installed");
    int verified = 0, present = 0, partial = 0, damaged = 0;
    for (const auto& f : files) {
        verified += f.state == FileState::Verified;
        present += f.state == FileState::Unchecked;
        partial += f.state == FileState::Partial;
        damaged += f.state == FileState::Damaged;
    }
    if (damaged > 0) return QObject::tr("damaged: get it again");
    if (verified == files.size()) return QObject::tr("installed, verified");
    if (verified + present == files.size()) return QObject::tr("installed, not verified");
    if (partial > 0) return QObject::tr("partly downloaded: get resumes");
    return verified + present > 0 ? QObject::tr("incomplete") : QObject::tr("not installed");
}

} // namespace

ModelManager::ModelManager(QString modelsDir, QString token, QObject* parent)
    : QAbstractTableModel(parent), store_(std::move(modelsDir)), token_(std::move(token)), rows_(builtInCatalogue()) {
    refresh();
}

ModelManager::~ModelManager() {
    if (installer_)
        installer_->disconnect(this);
}

int ModelManager::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int ModelManager::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ModelManager::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rows_.size())
        return {};
    const CatalogueModel& m = rows_.at(index.row());
    if (role == Qt::ToolTipRole)
        return m.licence;
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (index.column()) {
    case Title: return m.gated ? tr("%1 (gated)").arg(m.title) : m.title;
    case Repository: return m.repo;
    case State: return index.row() == installingRow_ ? installingText_ : states_.value(index.row());
    }
    return {};
}

QVariant ModelManager::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Title: return tr("Model");
    case Repository: return tr("Repository");
    case State: return tr("State");
    }
    return {};
}

void ModelManager::refresh() {
    states_.clear();
    for (const auto& m : rows_)
        states_.append(stateOf(store_.files(m)));
    if (!rows_.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(rows_.size()) - 1, ColumnCount - 1));
}

void ModelManager::setModelsDir(const QString& dir) {
    if (busy() || dir == store_.modelsDir())
        return;
    store_ = ModelStore(dir);
    refresh();
}

int ModelManager::addFineTune(const QString& repo) {
    const CatalogueModel m = fineTuneEntry(repo.trimmed());
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_[i].repo == m.repo)
            return i;
    beginInsertRows({}, int(rows_.size()), int(rows_.size()));
    rows_.append(m);
    states_.append(stateOf(store_.files(m)));
    endInsertRows();
    return int(rows_.size()) - 1;
}

void ModelManager::get(int row) {
    if (busy() || row < 0 || row >= rows_.size())
        return;
    installingRow_ = row;
    installingText_ = tr("starting…");
    installer_ = std::make_unique<ModelInstaller>(&network_, HubEndpoint::fromEnvironment(token_), &store_);
    connect(installer_.get(), &ModelInstaller::progress, this,
            [this, row](int file, int files, const QString& name, const DownloadProgress& p) {
                installingText_ = tr("file %1 of %2: %3").arg(file + 1).arg(files).arg(echoforge::progressText(p));
                Q_EMIT dataChanged(index(row, State), index(row, State));
                Q_EMIT status(tr("%1: %2").arg(name, echoforge::progressText(p)));
            });
    connect(installer_.get(), &ModelInstaller::finished, this, [this](const QString& error) {
        installer_.release()->deleteLater();   // inside its signal
        installingRow_ = -1;
        refresh();
        Q_EMIT finished(error, error.isEmpty());
    });
    installer_->install(rows_.at(row));
}

void ModelManager::cancel() {
    if (installer_)
        installer_->cancel();
}

void ModelManager::runInBackground(const std::function<QString()>& work) {
    working_ = true;
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        watcher->deleteLater();
        working_ = false;
        refresh();
        const QString error = watcher->result();
        Q_EMIT finished(error, error.isEmpty());
    });
    watcher->setFuture(QtConcurrent::run([work] {
        try {
            return work();
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    }));
}

void ModelManager::verify(int row) {
    if (busy() || row < 0 || row >= rows_.size())
        return;
    Q_EMIT status(tr("Checking the SHA-256 of %1…").arg(rows_.at(row).title));
    runInBackground([store = store_, model = rows_.at(row)]() mutable {
        for (const auto& f : store.verify(model))
            if (f.state == FileState::Damaged)
                return QObject::tr("%1 is damaged: get it again.").arg(f.path);
        return QString();
    });
}

void ModelManager::remove(int row) {
    if (busy() || row < 0 || row >= rows_.size())
        return;
    store_.remove(rows_.at(row));
    refresh();
    Q_EMIT finished({}, true);
}

void ModelManager::importFolder(const QString& dir, ImportMode mode) {
    if (busy())
        return;
    Q_EMIT status(tr("Importing from %1…").arg(dir));
    runInBackground([store = store_, dir, mode]() mutable {
        store.import(dir, mode);
        return QString();
    });
}

} // namespace echoforge
