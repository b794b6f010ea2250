#include "core/api/api_host.h"

#include "core/api/api_server.h"
#include "core/api/api_token.h"
#include "core/common/logging.h"

namespace echoforge::api {

ApiHost::ApiHost(TaskEngine* tasks, VoiceLibrary* library, AppPaths paths, QObject* parent)
    : QObject(parent), m_tasks(tasks), m_library(library), m_paths(std::move(paths)) {}

ApiHost::~ApiHost() = default;

QString ApiHost::apply(const Settings& settings) {
    const bool same = m_server && settings.apiEnabled && settings.apiBind == m_applied.apiBind &&
                      settings.apiPort == m_applied.apiPort && settings.textLimit == m_applied.textLimit &&
                      settings.audioLimitSeconds == m_applied.audioLimitSeconds;
    if (same)
        return {};
    m_server.reset();
    m_applied = settings;
    if (!settings.apiEnabled) {
        Q_EMIT stateChanged();
        return {};
    }
    ApiConfig config;
    const QString bind = settings.apiBind.trimmed() == "localhost" ? QStringLiteral("127.0.0.1") : settings.apiBind.trimmed();
    if (!config.address.setAddress(bind)) {
        Q_EMIT stateChanged();
        return tr("The API address '%1' is not an IP address; use 127.0.0.1 to serve this computer only.").arg(settings.apiBind);
    }
    config.port = quint16(std::clamp(settings.apiPort, 1, 65535));
    config.limits.maxTextCharacters = settings.textLimit;
    config.limits.maxAudioSeconds = settings.audioLimitSeconds;
    try {
        config.token = token();
        auto server = std::make_unique<ApiServer>(ApiServices{m_tasks, m_library, m_paths, settings}, config);
        if (server->start() == 0) {
            Q_EMIT stateChanged();
            return tr("The API cannot listen on %1 port %2; another program may be using it.").arg(bind).arg(config.port);
        }
        m_server = std::move(server);
    } catch (const Error& e) {
        Q_EMIT stateChanged();
        return e.sentence();
    }
    Q_EMIT stateChanged();
    return {};
}

QString ApiHost::url() const {
    if (!m_server)
        return {};
    const QHostAddress a = m_server->config().address;
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(a.toString()) : a.toString();
    return QStringLiteral("http://%1:%2").arg(host).arg(m_server->port());
}

QString ApiHost::token() const { return resolveApiToken(m_paths.dataDir); }

QString ApiHost::regenerateToken() {
    const QString fresh = regenerateApiToken(m_paths.dataDir);
    const QString inUse = token();   // ECHOFORGE_API_TOKEN, when set, still wins
    if (m_server)
        m_server->setToken(inUse);
    logger(LogArea::Security)->info("the API token was regenerated");
    Q_EMIT stateChanged();
    return inUse.isEmpty() ? fresh : inUse;
}

} // namespace echoforge::api
