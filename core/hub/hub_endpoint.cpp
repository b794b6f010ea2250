#include "core/hub/hub_endpoint.h"

#include <QRegularExpression>

namespace echoforge {

HubEndpoint HubEndpoint::fromEnvironment(const QString& settingsToken) {
    HubEndpoint hub;
    const QString endpoint = qEnvironmentVariable("HF_ENDPOINT").trimmed();
    hub.base = QUrl(endpoint.isEmpty() ? QStringLiteral("https://huggingface.co") : endpoint);
    hub.token = settingsToken.trimmed().isEmpty() ? qEnvironmentVariable("HF_TOKEN").trimmed() : settingsToken.trimmed();
    return hub;
}

QUrl HubEndpoint::fileUrl(const QString& repo, const QString& revision, const QString& file) const {
    QUrl url = base;
    QString path = base.path();
    if (path.endsWith('/'))
        path.chop(1);
    // Each part percent-encoded on its own: a file in a subfolder keeps its slashes.
    QStringList parts{repo.section('/', 0, 0), repo.section('/', 1, 1), QStringLiteral("resolve"), revision};
    parts += file.split('/');
    for (QString& part : parts)
        part = QString::fromLatin1(QUrl::toPercentEncoding(part));
    url.setPath(path + '/' + parts.join('/'), QUrl::TolerantMode);
    return url;
}

QUrl HubEndpoint::repoPage(const QString& repo) const {
    QUrl url = base;
    QString path = base.path();
    if (path.endsWith('/'))
        path.chop(1);
    url.setPath(path + '/' + repo);
    return url;
}

bool HubEndpoint::mayReceiveToken(const QUrl& url) const {
    return url.scheme() == base.scheme() && url.host().compare(base.host(), Qt::CaseInsensitive) == 0 &&
           url.port(url.scheme() == QLatin1String("https") ? 443 : 80) == base.port(base.scheme() == QLatin1String("https") ? 443 : 80);
}

bool isValidRepoName(const QString& repo) {
    static const QRegularExpression kRepo(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    return kRepo.match(repo).hasMatch() && !repo.contains(QLatin1String(".."));
}

QString hubStatusSentence(int status, const HubEndpoint& hub, const QString& repo, const QString& revision,
                          const QString& file) {
    const QString page = hub.repoPage(repo).toString();
    switch (status) {
    case 401:
        return hub.token.isEmpty()
                   ? QStringLiteral("%1 is gated: sign in at %2, accept its licence, create an access token (read) in your "
                                    "account settings, and enter it in Settings → Models or set HF_TOKEN.").arg(repo, page)
                   : QStringLiteral("The hub did not accept the access token for %1 (401): check the token in Settings → Models "
                                    "or HF_TOKEN, and that it can read %2.").arg(repo, page);
    case 403:
        return QStringLiteral("Access to %1 is not granted (403): open %2 with the account of your token, accept the licence "
                              "(approval can take a while), then try again.").arg(repo, page);
    case 404:
        return QStringLiteral("%1 has no file \"%2\" at revision \"%3\" (404): check the repository name and revision.")
            .arg(repo, file, revision);
    default:
        if (status >= 200 && status < 300)
            return {};
        return QStringLiteral("The hub answered %1 for \"%2\" of %3: try again later.").arg(status).arg(file, repo);
    }
}

} // namespace echoforge
