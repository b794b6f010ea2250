// echoforge-bench api: the HTTP API under load. A server (eSpeak NG, a private data folder) runs
// on its own thread; 50 clients on keep-alive connections send 2,000 requests in all, a quarter
// each of health, voice lists, small generations and task polls. Prints failures (anything not
// 2xx), p50/p99 latency per kind and overall, and the process's resident memory before and after.

#include <cstdio>
#include <memory>

#include <QElapsedTimer>
#include <QFile>
#include <QSemaphore>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include "app/bench/bench.h"
#include "core/api/api_server.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/wiring/installed_engines.h"
#include "core/tasks/task_engine.h"
#include "core/voices/voice_library.h"

namespace {

constexpr int kRequests = 2000;
constexpr int kClients = 50;
const QByteArray kToken = "bench-token";

long residentKiB() {
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    return -1;
}

// The server and everything it needs, made and destroyed on this thread.
class ServerThread : public QThread {
public:
    explicit ServerThread(QString dataDir) : m_dataDir(std::move(dataDir)) {}
    quint16 port = 0;
    QSemaphore ready;

protected:
    void run() override {
        echoforge::Settings settings;
        echoforge::AppPaths paths;
        paths.dataDir = m_dataDir;
        paths.configDir = m_dataDir + "/config";
        for (auto [field, name] : {std::pair{&paths.voicesDir, "voices"}, {&paths.historyDir, "history"},
                                   {&paths.cacheDir, "cache"}, {&paths.modelsDir, "models"}, {&paths.logsDir, "logs"}})
            *field = m_dataDir + "/" + name;
        paths.ensureExist();
        settings.queueLimit = 10 * kRequests;   // the bench measures the server, not the queue's refusals
        echoforge::VoiceLibrary library(echoforge::builtInCharactersDir(), paths.voicesDir);
        echoforge::TaskEngine tasks(echoforge::installedEngines(paths, settings),
                                    echoforge::TaskEngineConfig::fromSettings(settings, paths));
        echoforge::api::ApiConfig config;
        config.port = 0;
        config.token = QString::fromLatin1(kToken);
        config.limits.requestsPerSecond = 1e6;   // one client address for all 50: no rate limit
        config.limits.burst = 1e6;
        config.limits.jobsPerClient = kRequests;
        echoforge::api::ApiServer server({&tasks, &library, paths, settings}, config);
        port = server.start();
        ready.release();
        exec();
    }

private:
    QString m_dataDir;
};

struct Sample {
    int kind;
    double ms;
    int status;
};

// One keep-alive connection sending requests one after another until the shared budget is spent.
class Client : public QObject {
public:
    Client(quint16 port, int* budget, std::vector<Sample>* samples, int* running)
        : m_budget(budget), m_samples(samples), m_running(running) {
        connect(&m_socket, &QTcpSocket::connected, this, &Client::next);
        connect(&m_socket, &QTcpSocket::readyRead, this, &Client::onRead);
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

private:
    void next() {
        if (*m_budget <= 0) {
            --*m_running;
            m_socket.disconnectFromHost();
            return;
        }
        m_kind = (*m_budget)-- % 4;
        // A client polls its own latest task; one that has made none yet makes one first (a
        // guessed id may not exist yet, or be gone: a 404 is the bench's mistake, not the API's).
        if (m_kind == 3 && m_lastTask == 0)
            m_kind = 2;
        QByteArray method = "GET", path, body;
        switch (m_kind) {
        case 0: path = "/api/health"; break;
        case 1: path = "/api/voices?gender=female"; break;
        case 2:
            method = "POST";
            path = "/api/generate";
            body = R"({"text": "Hello there.", "voice": "ada", "engine": "espeak", "max_seconds": 3})";
            break;
        default: path = "/api/tasks/" + QByteArray::number(m_lastTask); break;
        }
        QByteArray request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken + "\r\n";
        if (!body.isEmpty())
            request += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        m_buffer.clear();
        m_clock.start();
        m_socket.write(request + "\r\n" + body);
    }

    void onRead() {
        m_buffer += m_socket.readAll();
        const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const qsizetype lengthAt = m_buffer.toLower().indexOf("content-length:");
        const qint64 length = lengthAt < 0 ? 0 : m_buffer.mid(lengthAt + 15, m_buffer.indexOf("\r\n", lengthAt) - lengthAt - 15).trimmed().toLongLong();
        if (m_buffer.size() < headerEnd + 4 + length)
            return;
        const int status = m_buffer.mid(9, 3).toInt();
        m_samples->push_back({m_kind, double(m_clock.nsecsElapsed()) / 1e6, status});
        if (m_kind == 2 && status == 202) {
            const qsizetype idAt = m_buffer.indexOf("\"id\":", headerEnd);
            m_lastTask = m_buffer.mid(idAt + 5, 12).split(',').value(0).toLongLong();
        }
        next();
    }

    QTcpSocket m_socket;
    int* m_budget;
    std::vector<Sample>* m_samples;
    int* m_running;
    int m_kind = 0;
    qint64 m_lastTask = 0;
    QByteArray m_buffer;
    QElapsedTimer m_clock;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

int runApiBench(const QStringList&) {
    QTemporaryDir data;
    ServerThread server(data.path());
    server.start();
    server.ready.acquire();
    if (server.port == 0) {
        std::fprintf(stderr, "the server did not start\n");
        return 1;
    }
    const long rssBefore = residentKiB();
    int budget = kRequests, running = kClients;
    std::vector<Sample> samples;
    samples.reserve(kRequests);
    std::vector<std::unique_ptr<Client>> clients;
    const auto start = echoforge::bench::Clock::now();
    for (int i = 0; i < kClients; ++i)
        clients.push_back(std::make_unique<Client>(server.port, &budget, &samples, &running));
    while (running > 0 && echoforge::bench::secondsSince(start) < 600)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const double wall = echoforge::bench::secondsSince(start);
    const long rssAfter = residentKiB();

    const char* names[] = {"health", "voices", "generate", "task poll"};
    int failures = 0;
    std::vector<double> all;
    std::vector<double> byKind[4];
    for (const Sample& s : samples) {
        failures += s.status < 200 || s.status >= 300;
        all.push_back(s.ms);
        byKind[s.kind].push_back(s.ms);
    }
    failures += kRequests - int(samples.size());   // never answered
    std::printf("%d requests from %d concurrent clients in %.2f s (%.0f requests/s)\n", int(samples.size()), kClients, wall,
                samples.size() / wall);
    std::printf("failures: %d\n", failures);
    for (int k = 0; k < 4; ++k)
        std::printf("%-10s p50 %7.2f ms   p99 %7.2f ms   (%zu)\n", names[k], percentile(byKind[k], 0.5),
                    percentile(byKind[k], 0.99), byKind[k].size());
    std::printf("%-10s p50 %7.2f ms   p99 %7.2f ms\n", "all", percentile(all, 0.5), percentile(all, 0.99));
    std::printf("resident memory: %.1f MiB before, %.1f MiB after\n", rssBefore / 1024.0, rssAfter / 1024.0);
    clients.clear();
    server.quit();
    server.wait();
    return failures == 0 ? 0 : 1;
}

} // namespace

ECHOFORGE_BENCH(api, "api", "The HTTP API: 2,000 requests at 50 concurrent (health, voices, eSpeak NG generations, polls)", runApiBench)
