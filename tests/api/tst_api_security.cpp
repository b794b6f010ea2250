// The gate before every route: the token (missing, wrong, right), the Host header on a loopback
// server (DNS rebinding), each limit (body, text, rate, jobs per client, event streams, upload),
// 404 and 405, CORS off unless configured; every refusal is {"error": {"code", "message"}}.

#include <QTcpServer>

#include "api_rig.h"
#include "core/api/api_host.h"

using namespace echoforge;
using namespace echoforge::test;

namespace {

void verifyErrorShape(const RawResponse& r, int status) {
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject e = r.json()["error"].toObject();
    QVERIFY2(!e["code"].toString().isEmpty(), r.body.constData());
    QVERIFY2(e["message"].toString().endsWith('.') || e["message"].toString().endsWith(')'), r.body.constData());
}

} // namespace

class TestApiSecurity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void token() {
        ApiRig rig;
        const RawResponse missing = rig.http->send("GET", "/api/voices");
        verifyErrorShape(missing, 401);
        QCOMPARE(missing.header("WWW-Authenticate"), QByteArray("Bearer"));
        verifyErrorShape(rig.http->send("GET", "/api/voices", {"Authorization: Bearer wrong-token"}), 401);
        verifyErrorShape(rig.http->send("GET", "/api/voices", {"Authorization: Bearer " + kToken + "x"}), 401);
        verifyErrorShape(rig.http->send("GET", "/api/voices", {"Authorization: Basic " + kToken.toBase64()}), 401);
        QCOMPARE(rig.get("/api/voices").status, 200);
        // Every route but health wants it.
        for (const api::Route& r : rig.server->routes()) {
            const QByteArray path = r.pattern.toUtf8().replace("{id}", "ada").replace("{task_id}", "1");
            const int status = rig.http->send(r.method, path).status;
            QVERIFY2((status == 401) == r.needsToken, qPrintable(r.pattern));
        }
    }

    void hostMustBeLoopback() {
        ApiRig rig;
        verifyErrorShape(rig.http->send("GET", "/api/health", {}, {}, 5000, "evil.example:8765"), 403);
        verifyErrorShape(rig.http->send("GET", "/api/health", {}, {}, 5000, "127.0.0.1.nip.io"), 403);
        QCOMPARE(rig.http->send("GET", "/api/health", {}, {}, 5000, "localhost:" + QByteArray::number(rig.port)).status, 200);
        QCOMPARE(rig.http->send("GET", "/api/health", {}, {}, 5000, "[::1]:" + QByteArray::number(rig.port)).status, 200);
    }

    void notFoundAndWrongMethod() {
        ApiRig rig;
        verifyErrorShape(rig.get("/api/nothing-here"), 404);
        verifyErrorShape(rig.get("/etc/passwd"), 404);
        const RawResponse wrong = rig.http->send("PUT", "/api/voices", {"Authorization: Bearer " + kToken});
        verifyErrorShape(wrong, 405);
        QVERIFY(wrong.header("Allow").contains("GET"));
        QVERIFY(wrong.header("Allow").contains("POST"));
    }

    void badBodies() {
        ApiRig rig;
        verifyErrorShape(rig.http->send("POST", "/api/generate", {"Authorization: Bearer " + kToken, "Content-Type: text/plain"},
                                        "{}"), 415);
        verifyErrorShape(rig.postJson("/api/generate", "{not json"), 400);
        verifyErrorShape(rig.postJson("/api/generate", "{\"text\": \"Hi.\", \"voice\": \"ada\", \"temperature\": \"hot\"}"), 422);
        verifyErrorShape(rig.postJson("/v1/audio/speech", "{\"input\": \"Hi.\", \"voice\": \"ada\", \"speed\": 10}"), 422);
        QCOMPARE(rig.get("/api/health").status, 200);
    }

    void bodyAndTextLimits() {
        api::ApiLimits limits = testLimits();
        limits.maxBodyBytes = 1000;
        limits.maxTextCharacters = 50;
        limits.maxUploadBytes = 2000;
        ApiRig rig(limits);
        const QByteArray big = "{\"text\": \"" + QByteArray(1200, 'a') + "\", \"voice\": \"ada\"}";
        verifyErrorShape(rig.postJson("/api/generate", big), 413);
        const QByteArray longText = "{\"text\": \"" + QByteArray(51, 'a') + "\", \"voice\": \"ada\"}";
        verifyErrorShape(rig.postJson("/api/generate", longText), 413);
        verifyErrorShape(rig.http->send("POST", "/api/voices", {"Authorization: Bearer " + kToken,
                                                                "Content-Type: multipart/form-data; boundary=b"},
                                        QByteArray(3000, 'x')), 413);
    }

    void rateLimit() {
        api::ApiLimits limits = testLimits();
        limits.burst = 3;
        limits.requestsPerSecond = 0.5;
        ApiRig rig(limits);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(rig.get("/api/voices").status, 200);
        const RawResponse limited = rig.get("/api/voices");
        verifyErrorShape(limited, 429);
        QVERIFY(limited.header("Retry-After").toInt() >= 1);
        QCOMPARE(rig.http->send("GET", "/api/health").status, 200);   // health is not counted
    }

    void jobsPerClient() {
        api::ApiLimits limits = testLimits();
        limits.jobsPerClient = 1;
        SineConfig slow;
        slow.frames = 40;
        slow.frameDelayMs = 25;
        ApiRig rig(limits, slow);
        const QByteArray body = "{\"text\": \"One.\", \"voice\": \"" + rig.firstCharacter().toUtf8() + "\"}";
        const RawResponse first = rig.postJson("/api/generate", body);
        QCOMPARE(first.status, 202);
        const RawResponse second = rig.postJson("/api/generate", body);
        verifyErrorShape(second, 429);
        QVERIFY(!second.header("Retry-After").isEmpty());
        rig.waitForTask(first.json()["id"].toInteger());
        QCOMPARE(rig.postJson("/api/generate", body).status, 202);   // room again
    }

    void eventStreamsPerClient() {
        api::ApiLimits limits = testLimits();
        limits.eventStreamsPerClient = 1;
        SineConfig slow;
        slow.frames = 40;
        slow.frameDelayMs = 25;
        ApiRig rig(limits, slow);
        const qint64 id = rig.postJson("/api/generate", "{\"text\": \"One.\", \"voice\": \"" + rig.firstCharacter().toUtf8() + "\"}")
                              .json()["id"].toInteger();
        QTcpSocket open;   // an event stream left open while the second is asked for
        open.connectToHost(QHostAddress::LocalHost, rig.port);
        QVERIFY(QTest::qWaitFor([&] { return open.state() == QAbstractSocket::ConnectedState; }, 5000));
        open.write("GET /api/tasks/" + QByteArray::number(id) + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                   kToken + "\r\n\r\n");
        QVERIFY(QTest::qWaitFor([&] { return open.bytesAvailable() > 0; }, 5000));
        verifyErrorShape(rig.get("/api/tasks/" + QByteArray::number(id) + "/events"), 429);
        open.abort();
    }

    void corsOnlyForConfiguredOrigins() {
        ApiRig closed;
        QVERIFY(closed.get("/api/voices", {"Origin: https://app.example"}).header("Access-Control-Allow-Origin").isEmpty());
        QCOMPARE(closed.http->send("OPTIONS", "/api/voices", {"Origin: https://app.example"}).status, 405);
        ApiRig open(testLimits(), {}, {"https://app.example"});
        QCOMPARE(open.get("/api/voices", {"Origin: https://app.example"}).header("Access-Control-Allow-Origin"),
                 QByteArray("https://app.example"));
        QVERIFY(open.get("/api/voices", {"Origin: https://other.example"}).header("Access-Control-Allow-Origin").isEmpty());
        const RawResponse preflight = open.http->send("OPTIONS", "/api/voices", {"Origin: https://app.example"});
        QCOMPARE(preflight.status, 204);
        QVERIFY(preflight.header("Access-Control-Allow-Headers").contains("Authorization"));
    }

    // Settings → API: off by default, on at a port, a regenerated token replaces the old one at once.
    void studioSwitch() {
        ApiRig rig;
        qunsetenv("ECHOFORGE_API_TOKEN");
        QTcpServer probe;   // a port that is free now
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const int port = probe.serverPort();
        probe.close();
        AppPaths paths;
        paths.dataDir = rig.dir.filePath("studio");
        paths.configDir = rig.dir.filePath("studio/config");
        paths.cacheDir = rig.dir.filePath("studio/cache");
        api::ApiHost host(rig.tasks.get(), &rig.library, paths);
        Settings settings;
        QVERIFY(!settings.apiEnabled);
        QCOMPARE(host.apply(settings), QString());
        QVERIFY(!host.running());
        settings.apiEnabled = true;
        settings.apiPort = port;
        QCOMPARE(host.apply(settings), QString());
        QCOMPARE(host.url(), QStringLiteral("http://127.0.0.1:%1").arg(port));
        RawHttp http{quint16(port)};
        const QByteArray oldToken = host.token().toLatin1();
        QCOMPARE(http.send("GET", "/api/voices", {"Authorization: Bearer " + oldToken}).status, 200);
        const QByteArray newToken = host.regenerateToken().toLatin1();
        QVERIFY(newToken != oldToken);
        QCOMPARE(http.send("GET", "/api/voices", {"Authorization: Bearer " + oldToken}).status, 401);
        QCOMPARE(http.send("GET", "/api/voices", {"Authorization: Bearer " + newToken}).status, 200);
        settings.apiBind = "not an address";
        QVERIFY(!host.apply(settings).isEmpty());
        QVERIFY(!host.running());
        settings.apiEnabled = false;
        QCOMPARE(host.apply(settings), QString());
        QCOMPARE(http.send("GET", "/api/health").status, 0);   // nobody listens
    }
};

QTEST_GUILESS_MAIN(TestApiSecurity)
#include "tst_api_security.moc"
