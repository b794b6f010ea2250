// Every route of the API over a real loopback socket: health, voices (list, filters, one, sample,
// clone, delete), generate (text and script), tasks (list, one, audio in three formats, Range),
// diagnostic, the OpenAPI document against the routes and docs/api.md, /v1/models.

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include "api_rig.h"
#include "core/audio/audio_io.h"

using namespace echoforge;
using namespace echoforge::test;

namespace {

// Something speech-like for the clone route: a voiced tone whose loudness rises and falls.
QByteArray speechLikeWav(double seconds, const QString& folder) {
    const int rate = 24000;
    AudioBuffer audio{std::vector<float>(std::size_t(seconds * rate)), rate, 1};
    for (std::size_t i = 0; i < audio.samples.size(); ++i) {
        const double t = double(i) / rate;
        const double envelope = 0.5 * (1 - std::cos(2 * M_PI * 3.0 * t));
        audio.samples[i] = float(0.4 * envelope * (std::sin(2 * M_PI * 140 * t) + 0.5 * std::sin(2 * M_PI * 280 * t)));
    }
    const QString path = folder + "/clip.wav";
    writeAudio(path, audio);
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

QByteArray multipart(const QList<std::pair<QByteArray, QByteArray>>& fields, const QByteArray& clip) {
    QByteArray body;
    for (const auto& [name, value] : fields)
        body += "--B0und\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    if (!clip.isNull())
        body += "--B0und\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"clip.wav\"\r\n"
                "Content-Type: audio/wav\r\n\r\n" + clip + "\r\n";
    return body + "--B0und--\r\n";
}

} // namespace

class TestApiRoutes : public QObject {
    Q_OBJECT

    RawResponse postClone(ApiRig& rig, const QByteArray& body) {
        return rig.http->send("POST", "/api/voices", {"Authorization: Bearer " + kToken,
                                                       "Content-Type: multipart/form-data; boundary=B0und"}, body);
    }

private Q_SLOTS:
    // "Connection: close" (HTTP/1.0 tools, bash's /dev/tcp) gets the whole answer and then the
    // end of the connection, so a client reading to the end is not left waiting; without it the
    // connection stays open for the next request.
    void connectionCloseEndsTheConnection() {
        ApiRig rig;
        QVERIFY(rig.port != 0);
        QTcpSocket socket;
        bool closedByServer = false;
        connect(&socket, &QTcpSocket::disconnected, this, [&] { closedByServer = true; });
        socket.connectToHost(QHostAddress::LocalHost, rig.port);
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /api/health HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        QByteArray answer;
        QVERIFY(QTest::qWaitFor([&] { answer += socket.readAll(); return closedByServer; }, 5000));
        answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        const QByteArray body = answer.mid(answer.indexOf("\r\n\r\n") + 4);
        QCOMPARE(QJsonDocument::fromJson(body).object().value("status").toString(), QStringLiteral("ok"));

        QTcpSocket kept;
        bool keptClosed = false;
        connect(&kept, &QTcpSocket::disconnected, this, [&] { keptClosed = true; });
        kept.connectToHost(QHostAddress::LocalHost, rig.port);
        QVERIFY(kept.waitForConnected(5000));
        int answers = 0;
        for (int i = 0; i < 2; ++i) {
            kept.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            QByteArray got;
            QVERIFY(QTest::qWaitFor([&] { got += kept.readAll(); return got.contains("\"status\""); }, 5000));
            answers += got.startsWith("HTTP/1.1 200");
        }
        QCOMPARE(answers, 2);
        QVERIFY(!keptClosed);
    }

    void health() {
        ApiRig rig;
        QVERIFY(rig.port != 0);
        const RawResponse r = rig.http->send("GET", "/api/health");   // no token
        QCOMPARE(r.status, 200);
        const QJsonObject h = r.json();
        QCOMPARE(h["status"].toString(), QStringLiteral("ok"));
        QCOMPARE(h["engine"].toString(), QStringLiteral("eSpeak NG"));
        QCOMPARE(h["csm_loaded"].toBool(), false);
        QCOMPARE(h["queue_depth"].toInt(), 0);
        QVERIFY(h["uptime_seconds"].toDouble() >= 0);
    }

    void voicesAndFilters() {
        ApiRig rig;
        const RawResponse all = rig.get("/api/voices");
        QCOMPARE(all.status, 200);
        const QJsonArray list = QJsonDocument::fromJson(all.body).array();
        QCOMPARE(list.size(), rig.library.characters().size());
        int female = 0;
        for (const Character& c : rig.library.characters())
            female += c.gender == "female";
        const QJsonArray women = QJsonDocument::fromJson(rig.get("/api/voices?gender=female").body).array();
        QCOMPARE(women.size(), female);
        for (const QJsonValue& v : women)
            QCOMPARE(v["gender"].toString(), QStringLiteral("female"));
        const Character first = rig.library.characters().front();
        const QJsonArray found = QJsonDocument::fromJson(rig.get("/api/voices?q=" + QUrl::toPercentEncoding(first.name)).body).array();
        QVERIFY(!found.isEmpty());
        QCOMPARE(found[0]["id"].toString(), first.id);
        QCOMPARE(rig.get("/api/voices?gender=robot").status, 400);

        const RawResponse one = rig.get("/api/voices/" + first.id.toUtf8());
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json()["name"].toString(), first.name);
        QCOMPARE(one.json()["built_in"].toBool(), true);
        QCOMPARE(rig.get("/api/voices/nobody-at-all").status, 404);
        QCOMPARE(rig.get("/api/voices/..%2F..%2Fetc%2Fpasswd").status, 404);
    }

    void voiceSampleIsRenderedOnceThenCached() {
        ApiRig rig;
        const QByteArray id = rig.firstCharacter().toUtf8();
        const RawResponse first = rig.get("/api/voices/" + id + "/sample");
        QCOMPARE(first.status, 200);
        QCOMPARE(first.header("Content-Type"), QByteArray("audio/wav"));
        QCOMPARE(first.body.left(4), QByteArray("RIFF"));
        QCOMPARE(rig.log->spokenSoFar().size(), 1);
        const RawResponse again = rig.get("/api/voices/" + id + "/sample");
        QCOMPARE(again.body, first.body);
        QCOMPARE(rig.log->spokenSoFar().size(), 1);   // from the cache
    }

    void cloneAndDelete() {
        ApiRig rig;
        const QByteArray clip = speechLikeWav(6.0, rig.dir.path());
        const RawResponse made = postClone(rig, multipart({{"name", "Api Voice"}, {"transcript", "Hello from the test."},
                                                           {"gender", "female"}}, clip));
        QVERIFY2(made.status == 201, made.body.constData());
        const QString id = made.json()["id"].toString();
        QVERIFY(rig.library.find(id));
        QCOMPARE(made.header("Location"), ("/api/voices/" + id).toUtf8());
        QCOMPARE(made.json()["cloned"].toBool(), true);
        QCOMPARE(rig.get("/api/voices/" + id.toUtf8()).status, 200);

        QCOMPARE(rig.del("/api/voices/" + id.toUtf8()).status, 200);
        QVERIFY(!rig.library.find(id));
        QCOMPARE(rig.del("/api/voices/" + id.toUtf8()).status, 404);
        const RawResponse builtIn = rig.del("/api/voices/" + rig.firstCharacter().toUtf8());
        QCOMPARE(builtIn.status, 409);
        QCOMPARE(builtIn.errorCode(), QStringLiteral("built_in"));

        // The wizard's checks: too short a clip, not audio, missing fields.
        const RawResponse shortClip = postClone(rig, multipart({{"name", "Short"}, {"transcript", "Hi."}},
                                                               speechLikeWav(1.0, rig.dir.path())));
        QCOMPARE(shortClip.status, 422);
        QVERIFY(!shortClip.json()["error"].toObject()["message"].toString().isEmpty());
        QCOMPARE(postClone(rig, multipart({{"name", "Noise"}, {"transcript", "Hi."}}, "not audio at all")).status, 415);
        QCOMPARE(postClone(rig, multipart({{"name", "NoClip"}, {"transcript", "Hi."}}, QByteArray())).status, 422);
        QCOMPARE(postClone(rig, multipart({{"transcript", "Hi."}}, clip)).status, 422);
    }

    void generateTextThenAudio() {
        ApiRig rig;
        const RawResponse accepted = rig.postJson("/api/generate", R"({"text": "Hello there.", "voice": ")" +
                                                  rig.firstCharacter().toUtf8() + R"(", "seed": 3})");
        QCOMPARE(accepted.status, 202);
        const qint64 id = accepted.json()["id"].toInteger();
        QVERIFY(id > 0);
        QCOMPARE(accepted.header("Location"), "/api/tasks/" + QByteArray::number(id));
        QCOMPARE(accepted.json()["urls"].toObject()["events"].toString(), QStringLiteral("/api/tasks/%1/events").arg(id));

        const QJsonObject done = rig.waitForTask(id);
        QCOMPARE(done["state"].toString(), QStringLiteral("done"));
        QCOMPARE(done["progress"].toDouble(), 1.0);
        QCOMPARE(done["engine"].toString(), QStringLiteral("Fake eSpeak"));
        const SineConfig sine;
        const double seconds = double(sine.frames * sine.frameSamples) / 24000;
        QCOMPARE(done["result"].toObject()["duration_seconds"].toDouble(), seconds);

        const RawResponse wav = rig.get("/api/tasks/" + QByteArray::number(id) + "/audio");
        QCOMPARE(wav.status, 200);
        QCOMPARE(wav.body.left(4), QByteArray("RIFF"));
        QCOMPARE(wav.header("Accept-Ranges"), QByteArray("bytes"));
        QFile f(rig.dir.filePath("back.wav"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(wav.body);
        f.close();
        QCOMPARE(int(readAudio(f.fileName()).frames()), sine.frames * sine.frameSamples);
        QCOMPARE(rig.get("/api/tasks/" + QByteArray::number(id) + "/audio?format=flac").body.left(4), QByteArray("fLaC"));
        QCOMPARE(rig.get("/api/tasks/" + QByteArray::number(id) + "/audio?format=ogg").body.left(4), QByteArray("OggS"));
        QCOMPARE(rig.get("/api/tasks/" + QByteArray::number(id) + "/audio?format=mp3").status, 400);

        const RawResponse part = rig.get("/api/tasks/" + QByteArray::number(id) + "/audio", {"Range: bytes=0-3"});
        QCOMPARE(part.status, 206);
        QCOMPARE(part.body, QByteArray("RIFF"));
        QCOMPARE(part.header("Content-Range"), "bytes 0-3/" + QByteArray::number(wav.body.size()));
        const RawResponse tail = rig.get("/api/tasks/" + QByteArray::number(id) + "/audio", {"Range: bytes=-10"});
        QCOMPARE(tail.body, wav.body.right(10));
        QCOMPARE(rig.get("/api/tasks/" + QByteArray::number(id) + "/audio", {"Range: bytes=999999999-"}).status, 416);

        const RawResponse list = rig.get("/api/tasks?limit=10");
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json()["total"].toInt(), 1);
        QCOMPARE(list.json()["tasks"].toArray().at(0).toObject()["id"].toInteger(), id);
        QCOMPARE(rig.get("/api/tasks?offset=1").json()["tasks"].toArray().size(), 0);
        QCOMPARE(rig.get("/api/tasks/999999").status, 404);
        QCOMPARE(rig.get("/api/tasks/abc").status, 404);
    }

    void generateScript() {
        ApiRig rig;
        const QList<Character> all = rig.library.characters();
        QVERIFY(all.size() >= 2);
        const QByteArray script = (all[0].name + ": Did you hear that?\\n" + all[1].name + ": Only the sea.").toUtf8();
        const RawResponse accepted = rig.postJson("/api/generate", R"({"script": ")" + script + R"("})");
        QVERIFY2(accepted.status == 202, accepted.body.constData());
        QCOMPARE(accepted.json()["turns"].toInt(), 2);
        const QJsonObject done = rig.waitForTask(accepted.json()["id"].toInteger());
        QCOMPARE(done["state"].toString(), QStringLiteral("done"));
        QCOMPARE(rig.log->spokenSoFar(), (QStringList{"Did you hear that?", "Only the sea."}));

        const RawResponse unknown = rig.postJson("/api/generate", R"({"script": "Zebedee Q: Hello."})");
        QCOMPARE(unknown.status, 422);
        QVERIFY(unknown.json()["error"].toObject()["message"].toString().contains("Zebedee Q"));
        QCOMPARE(rig.postJson("/api/generate", R"({"text": "Hi.", "voice": "nobody-here"})").status, 422);
    }

    void failedTaskSaysWhy() {
        ApiRig rig;
        const RawResponse accepted = rig.postJson("/api/generate", R"({"text": "fail: on purpose", "voice": ")" +
                                                  rig.firstCharacter().toUtf8() + R"("})");
        const QJsonObject failed = rig.waitForTask(accepted.json()["id"].toInteger());
        QCOMPARE(failed["state"].toString(), QStringLiteral("failed"));
        QVERIFY(failed["error"].toString().contains("refuses"));
        QCOMPARE(rig.get("/api/tasks/" + QByteArray::number(accepted.json()["id"].toInteger()) + "/audio").status, 409);
        QCOMPARE(rig.get("/api/health").status, 200);   // the server is fine
    }

    void diagnosticAndModels() {
        ApiRig rig;
        const RawResponse d = rig.get("/api/diagnostic");
        QCOMPARE(d.status, 200);
        QVERIFY(d.json().contains("version"));
        const RawResponse m = rig.get("/v1/models");
        QCOMPARE(m.json()["object"].toString(), QStringLiteral("list"));
        QVERIFY(!m.json()["data"].toArray().isEmpty());
    }

    // Every served route is in the OpenAPI document and in docs/api.md, and every route the docs
    // describe is served.
    void openApiAndDocsMatchTheRoutes() {
        ApiRig rig;
        const QJsonObject doc = rig.get("/api/openapi.json").json();
        QCOMPARE(doc["openapi"].toString().left(2), QStringLiteral("3."));
        const QJsonObject paths = doc["paths"].toObject();
        QSet<QString> served;
        for (const api::Route& r : rig.server->routes()) {
            served << QString::fromLatin1(r.method) + " " + r.pattern;
            QVERIFY2(paths[r.pattern].toObject().contains(QString::fromLatin1(r.method).toLower()), qPrintable(r.pattern));
        }
        int documented = 0;
        for (auto it = paths.begin(); it != paths.end(); ++it)
            documented += int(it.value().toObject().size());
        QCOMPARE(documented, int(served.size()));

        QFile docs(QStringLiteral(ECHOFORGE_SOURCE_DIR "/docs/api.md"));
        QVERIFY(docs.open(QIODevice::ReadOnly));
        QSet<QString> inDocs;
        static const QRegularExpression heading(R"(^### `(GET|POST|DELETE) (/\S+)`)", QRegularExpression::MultilineOption);
        for (auto it = heading.globalMatch(QString::fromUtf8(docs.readAll())); it.hasNext();) {
            const auto m = it.next();
            inDocs << m.captured(1) + " " + m.captured(2);
        }
        QCOMPARE(QSet<QString>(served - inDocs), QSet<QString>());   // served but not documented
        QCOMPARE(QSet<QString>(inDocs - served), QSet<QString>());   // documented but not served
    }
};

QTEST_GUILESS_MAIN(TestApiRoutes)
#include "tst_api_routes.moc"
