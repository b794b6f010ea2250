#include "core/hub/model_catalogue.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include "core/common/error.h"
#include "core/hub/hub_endpoint.h"

namespace echoforge {

std::int64_t CatalogueModel::knownBytes() const {
    std::int64_t total = 0;
    for (const auto& f : files)
        total += f.size > 0 ? f.size : 0;
    return total;
}

QList<CatalogueModel> parseCatalogue(const QByteArray& json, const QString& source) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject() || !doc.object().value("models").isArray())
        throw Error(QStringLiteral("The model catalogue %1 is not usable: it must be a JSON object with a \"models\" list.").arg(source));
    QList<CatalogueModel> models;
    for (const QJsonValue& v : doc.object().value("models").toArray()) {
        const QJsonObject o = v.toObject();
        CatalogueModel m;
        m.id = o.value("id").toString();
        m.title = o.value("title").toString(m.id);
        m.repo = o.value("repo").toString();
        m.revision = o.value("revision").toString(QStringLiteral("main"));
        m.folder = o.value("folder").toString();
        m.licence = o.value("licence").toString();
        m.gated = o.value("gated").toBool();
        m.optional = o.value("optional").toBool();
        for (const QJsonValue& f : o.value("files").toArray()) {
            const QJsonObject fo = f.toObject();
            m.files.append({fo.value("name").toString(), fo.value("size").isDouble() ? std::int64_t(fo.value("size").toDouble()) : -1,
                            fo.value("sha256").toString().toLower()});
        }
        if (m.id.isEmpty() || !isValidRepoName(m.repo) || m.folder.isEmpty() || m.files.isEmpty())
            throw Error(QStringLiteral("The model catalogue %1 is not usable: entry \"%2\" needs an id, a repo ORG/NAME, a folder and files.")
                            .arg(source, m.id));
        models.append(m);
    }
    return models;
}

QList<CatalogueModel> builtInCatalogue() {
    QFile file(QStringLiteral(":/echoforge/catalogue.json"));
    if (!file.open(QIODevice::ReadOnly))
        throw Error("The built-in model catalogue is missing from this build.");
    return parseCatalogue(file.readAll(), file.fileName());
}

CatalogueModel fineTuneEntry(const QString& repo, const QString& revision) {
    if (!isValidRepoName(repo))
        throw Error(QStringLiteral("\"%1\" is not a repository name: write it as ORG/NAME, as on the hub's page.").arg(repo));
    CatalogueModel m;
    m.id = repo;
    m.title = QStringLiteral("%1 (CSM fine-tune)").arg(repo);
    m.repo = repo;
    m.revision = revision.isEmpty() ? QStringLiteral("main") : revision;
    m.folder = QStringLiteral("csm");
    m.licence = QStringLiteral("See the licence on the repository's page.");
    m.fineTune = true;
    return m;
}

CatalogueModel findModel(const QList<CatalogueModel>& catalogue, const QString& idOrRepo) {
    QStringList ids;
    for (const auto& m : catalogue) {
        if (m.id == idOrRepo || m.repo == idOrRepo)
            return m;
        ids << m.id;
    }
    if (idOrRepo.contains('/'))
        return fineTuneEntry(idOrRepo);
    throw Error(QStringLiteral("There is no model \"%1\": use one of %2, or a fine-tune's repository as ORG/NAME.")
                    .arg(idOrRepo, ids.join(QStringLiteral(", "))));
}

} // namespace echoforge
