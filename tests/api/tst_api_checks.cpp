// The API's request checks as plain functions (no socket): Host names, bearer tokens, JSON
// bodies, the generate and OpenAI speech fields, multipart uploads, Range (RFC 9110's examples),
// paging, the rate limiter on a hand-moved clock, the token file, and audio encoding.

#include <sys/stat.h>

#include <QTemporaryDir>
#include <QtTest>

#include "core/api/api_token.h"
#include "core/api/rate_limiter.h"
#include "core/api/request_checks.h"
#include "core/audio/audio_encode.h"
#include "core/audio/audio_io.h"

using namespace echoforge;
using namespace echoforge::api;

namespace {

HttpRequest jsonRequest(const QByteArray& body, const QByteArray& type = "application/json") {
    HttpRequest r;
    r.method = "POST";
    r.headers = {{"Content-Type", type}};
    r.body = body;
    return r;
}

int statusOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const ApiError& e) {
        return e.status();
    }
    return 0;
}

QJsonObject object(const QByteArray& json) { return QJsonDocument::fromJson(json).object(); }

} // namespace

class TestApiChecks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void loopbackHosts_data() {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("ipv4") << QByteArray("127.0.0.1") << true;
        QTest::newRow("ipv4 port") << QByteArray("127.0.0.1:8765") << true;
        QTest::newRow("localhost") << QByteArray("localhost:8765") << true;
        QTest::newRow("LOCALHOST") << QByteArray("LocalHost") << true;
        QTest::newRow("ipv6") << QByteArray("[::1]:8765") << true;
        QTest::newRow("rebinding name") << QByteArray("evil.example:8765") << false;
        QTest::newRow("suffix trick") << QByteArray("localhost.evil.example") << false;
        QTest::newRow("prefix trick") << QByteArray("127.0.0.1.evil.example") << false;
        QTest::newRow("bad port") << QByteArray("127.0.0.1:80x") << false;
        QTest::newRow("empty") << QByteArray("") << false;
        QTest::newRow("other ipv6") << QByteArray("[::2]") << false;
        QTest::newRow("lan") << QByteArray("192.168.1.2:8765") << false;
    }
    void loopbackHosts() {
        QFETCH(QByteArray, host);
        QFETCH(bool, allowed);
        QCOMPARE(isLoopbackHost(host), allowed);
    }

    void bearerTokens() {
        QCOMPARE(bearerToken("Bearer abc123"), QByteArray("abc123"));
        QCOMPARE(bearerToken("bearer   abc123  "), QByteArray("abc123"));
        QCOMPARE(bearerToken("Basic dXNlcjpwYXNz"), QByteArray());
        QCOMPARE(bearerToken("Bearer"), QByteArray());
        QCOMPARE(bearerToken(""), QByteArray());
        QVERIFY(constantTimeEquals("secret", "secret"));
        QVERIFY(!constantTimeEquals("secret", "secreT"));
        QVERIFY(!constantTimeEquals("secret", "secret2"));
        QVERIFY(!constantTimeEquals("", "x"));
        QVERIFY(constantTimeEquals("", ""));
    }

    void jsonBodies() {
        QCOMPARE(statusOf([] { parseJsonBody(jsonRequest("{}", "text/plain"), 100); }), 415);
        QCOMPARE(statusOf([] { parseJsonBody(jsonRequest("{\"a\": 1"), 100); }), 400);
        QCOMPARE(statusOf([] { parseJsonBody(jsonRequest("[1, 2]"), 100); }), 400);
        QCOMPARE(statusOf([] { parseJsonBody(jsonRequest("{\"a\": NaN}"), 100); }), 400);
        QCOMPARE(statusOf([] { parseJsonBody(jsonRequest(QByteArray(200, ' ') + "{}"), 100); }), 413);
        QCOMPARE(parseJsonBody(jsonRequest("{\"a\": 1}", "application/json; charset=utf-8"), 100).value("a").toInt(), 1);
    }

    void generateFields_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("fine") << QByteArray(R"({"text": "Hi.", "voice": "ada"})") << 0;
        QTest::newRow("script") << QByteArray(R"({"script": "Ada: Hi."})") << 0;
        QTest::newRow("both") << QByteArray(R"({"text": "Hi.", "script": "Ada: Hi.", "voice": "ada"})") << 422;
        QTest::newRow("neither") << QByteArray(R"({"voice": "ada"})") << 422;
        QTest::newRow("no voice") << QByteArray(R"({"text": "Hi."})") << 422;
        QTest::newRow("text not string") << QByteArray(R"({"text": 5, "voice": "ada"})") << 422;
        QTest::newRow("temperature high") << QByteArray(R"({"text": "Hi.", "voice": "ada", "temperature": 9})") << 422;
        QTest::newRow("temperature inf") << QByteArray(R"({"text": "Hi.", "voice": "ada", "temperature": 1e999})") << 422;
        QTest::newRow("top_k fraction") << QByteArray(R"({"text": "Hi.", "voice": "ada", "top_k": 2.5})") << 422;
        QTest::newRow("seed negative") << QByteArray(R"({"text": "Hi.", "voice": "ada", "seed": -1})") << 422;
        QTest::newRow("seed string") << QByteArray(R"({"text": "Hi.", "voice": "ada", "seed": "18446744073709551615"})") << 0;
        QTest::newRow("max_seconds") << QByteArray(R"({"text": "Hi.", "voice": "ada", "max_seconds": 601})") << 422;
        QTest::newRow("format mp3") << QByteArray(R"({"text": "Hi.", "voice": "ada", "format": "mp3"})") << 422;
        QTest::newRow("priority") << QByteArray(R"({"text": "Hi.", "voice": "ada", "priority": "urgent"})") << 422;
        QTest::newRow("engine") << QByteArray(R"({"text": "Hi.", "voice": "ada", "engine": "gpt"})") << 422;
        QTest::newRow("unknown field") << QByteArray(R"({"text": "Hi.", "voice": "ada", "colour": "red"})") << 422;
        QTest::newRow("text too long") << QByteArray(R"({"text": ")" + QByteArray(101, 'a') + R"(", "voice": "ada"})") << 413;
    }
    void generateFields() {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        ApiLimits limits;
        limits.maxTextCharacters = 100;
        QCOMPARE(statusOf([&] { parseGenerateRequest(object(body), {}, limits); }), status);
    }

    void generateValues() {
        const auto g = parseGenerateRequest(object(R"({"text": "Hi.", "voice": "ada", "temperature": 0.5, "top_k": 7,
            "seed": 12, "max_seconds": 4, "format": "flac", "priority": "batch", "engine": "espeak"})"), {}, {});
        QCOMPARE(g.params.temperature, 0.5);
        QCOMPARE(g.params.topK, 7);
        QCOMPARE(*g.params.seed, std::uint64_t(12));
        QCOMPARE(g.params.maxSeconds, 4.0);
        QCOMPARE(g.format, AudioFormat::Flac);
        QCOMPARE(g.priority, JobPriority::Batch);
        QCOMPARE(g.engine, EngineSelection::Espeak);
        const GenerationParams defaults{0.7, 30, std::nullopt, 12};
        const auto d = parseGenerateRequest(object(R"({"text": "Hi.", "voice": "ada"})"), defaults, {});
        QCOMPARE(d.params.temperature, 0.7);
        QVERIFY(!d.params.seed);
    }

    void openAiFields() {
        ApiLimits limits;
        const auto s = parseSpeechRequest(object(R"({"model": "tts-1", "input": "Hi.", "voice": "ada", "response_format": "pcm", "speed": 0.25})"), limits);
        QCOMPARE(s.format, AudioFormat::Pcm);
        QCOMPARE(s.speed, 0.25);
        QCOMPARE(parseSpeechRequest(object(R"({"input": "Hi.", "voice": "ada"})"), limits).format, AudioFormat::Wav);
        QCOMPARE(statusOf([&] { parseSpeechRequest(object(R"({"input": "Hi.", "voice": "ada", "speed": 4.5})"), limits); }), 422);
        QCOMPARE(statusOf([&] { parseSpeechRequest(object(R"({"input": "Hi.", "voice": "ada", "response_format": "mp3"})"), limits); }), 422);
        QCOMPARE(statusOf([&] { parseSpeechRequest(object(R"({"input": " ", "voice": "ada"})"), limits); }), 422);
        QCOMPARE(statusOf([&] { parseSpeechRequest(object(R"({"input": "Hi."})"), limits); }), 422);
    }

    void multipart() {
        const QByteArray body = "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nMy voice\r\n"
                                "--XyZ\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"clip.wav\"\r\n"
                                "Content-Type: audio/wav\r\n\r\nRIFF\r\n--XyZ not a boundary\r\n--XyZ--\r\n";
        const auto parts = parseMultipart("multipart/form-data; boundary=XyZ", body, 1000);
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts[0].name, QStringLiteral("name"));
        QCOMPARE(parts[0].data, QByteArray("My voice"));
        QCOMPARE(parts[1].filename, QStringLiteral("clip.wav"));
        QCOMPARE(parts[1].contentType, QByteArray("audio/wav"));
        QCOMPARE(parts[1].data, QByteArray("RIFF\r\n--XyZ not a boundary"));
        QCOMPARE(parseMultipart("multipart/form-data; boundary=\"XyZ\"", body, 1000).size(), 2);
        QCOMPARE(statusOf([&] { parseMultipart("application/json", body, 1000); }), 415);
        QCOMPARE(statusOf([&] { parseMultipart("multipart/form-data", body, 1000); }), 415);
        QCOMPARE(statusOf([&] { parseMultipart("multipart/form-data; boundary=XyZ", body, 10); }), 413);
        QCOMPARE(statusOf([&] { parseMultipart("multipart/form-data; boundary=XyZ", body.left(60), 1000); }), 400);
        QCOMPARE(statusOf([&] { parseMultipart("multipart/form-data; boundary=XyZ", "no parts", 1000); }), 400);
    }

    // RFC 9110 section 14.1.2's examples, on a 10000-byte representation.
    void cloneForm() {
        ApiLimits limits;
        limits.maxTextCharacters = 20;
        const auto part = [](const char* name, const QByteArray& data, const QString& filename = {}) {
            return FormPart{QString::fromLatin1(name), filename, {}, data};
        };
        const CloneUpload upload = parseCloneUpload({part("audio", "RIFF", "../../My Clip.FLAC"), part("name", "  Ada  "),
                                                     part("styles", "warm,,narrator"), part("transcript", " Hello. ")},
                                                    limits);
        QCOMPARE(upload.clip, QByteArray("RIFF"));
        QCOMPARE(upload.clipSuffix, QStringLiteral("flac"));   // the container, never the client's path
        QCOMPARE(upload.request.name, QStringLiteral("Ada"));
        QCOMPARE(upload.request.styles, (QStringList{"warm", "narrator"}));
        QCOMPARE(upload.request.transcript, QStringLiteral("Hello."));
        QCOMPARE(upload.request.gender, QStringLiteral("neutral"));
        QCOMPARE(parseCloneUpload({part("audio", "RIFF", "clip.exe")}, limits).clipSuffix, QStringLiteral("wav"));
        QCOMPARE(statusOf([&] { parseCloneUpload({part("name", "Ada")}, limits); }), 422);
        QCOMPARE(statusOf([&] { parseCloneUpload({part("audio", "RIFF"), part("voice", "x")}, limits); }), 422);
        QCOMPARE(statusOf([&] { parseCloneUpload({part("audio", "RIFF"), part("transcript", QByteArray(21, 'a'))}, limits); }), 413);
    }

    void ranges() {
        QVERIFY(!parseRange("", 10000));
        auto r = parseRange("bytes=0-499", 10000);
        QCOMPARE(r->first, 0);
        QCOMPARE(r->last, 499);
        r = parseRange("bytes=500-999", 10000);
        QCOMPARE(r->first, 500);
        QCOMPARE(r->last, 999);
        r = parseRange("bytes=-500", 10000);
        QCOMPARE(r->first, 9500);
        QCOMPARE(r->last, 9999);
        r = parseRange("bytes=9500-", 10000);
        QCOMPARE(r->first, 9500);
        QCOMPARE(r->last, 9999);
        r = parseRange("bytes=9000-20000", 10000);   // a last position past the end is clipped
        QCOMPARE(r->last, 9999);
        QCOMPARE(statusOf([] { parseRange("bytes=10000-", 10000); }), 416);
        QCOMPARE(statusOf([] { parseRange("bytes=5-2", 10000); }), 416);
        QCOMPARE(statusOf([] { parseRange("bytes=0-1,5-6", 10000); }), 400);
        QCOMPARE(statusOf([] { parseRange("items=0-1", 10000); }), 400);
    }

    void pagingAndIds() {
        QCOMPARE(parsePaging(QUrlQuery()).limit, 50);
        QCOMPARE(parsePaging(QUrlQuery("offset=5&limit=10")).offset, 5);
        QCOMPARE(statusOf([] { parsePaging(QUrlQuery("limit=0")); }), 400);
        QCOMPARE(statusOf([] { parsePaging(QUrlQuery("limit=500")); }), 400);
        QCOMPARE(statusOf([] { parsePaging(QUrlQuery("offset=-1")); }), 400);
        QCOMPARE(checkCharacterId("ada"), QStringLiteral("ada"));
        QCOMPARE(statusOf([] { checkCharacterId("../../etc/passwd"); }), 404);
        QCOMPARE(statusOf([] { checkCharacterId("Ada"); }), 404);
        QCOMPARE(checkTaskId("42"), JobId(42));
        QCOMPARE(statusOf([] { checkTaskId("0"); }), 404);
        QCOMPARE(statusOf([] { checkTaskId("4x"); }), 404);
        QCOMPARE(statusOf([] { checkTaskId("-3"); }), 404);
    }

    void tokenBucket() {
        auto now = std::chrono::steady_clock::time_point{};
        RateLimiter limiter(2.0, 3.0, [&now] { return now; });
        QCOMPARE(limiter.take("a"), 0);
        QCOMPARE(limiter.take("a"), 0);
        QCOMPARE(limiter.take("a"), 0);
        QCOMPARE(limiter.take("a"), 1);             // empty: half a second to the next token, said as 1 s
        QCOMPARE(limiter.take("b"), 0);             // buckets are per client
        now += std::chrono::milliseconds(500);      // one token back at 2 per second
        QCOMPARE(limiter.take("a"), 0);
        QCOMPARE(limiter.take("a"), 1);
        now += std::chrono::seconds(60);            // refills to the burst, not beyond
        for (int i = 0; i < 3; ++i)
            QCOMPARE(limiter.take("a"), 0);
        QVERIFY(limiter.take("a") > 0);
    }

    void tokenFile() {
        QTemporaryDir dir;
        qunsetenv("ECHOFORGE_API_TOKEN");
        const QString token = resolveApiToken(dir.path());
        QCOMPARE(token.size(), 64);                 // 256 bits in hex
        QVERIFY(QRegularExpression("^[0-9a-f]{64}$").match(token).hasMatch());
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(apiTokenPath(dir.path())).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QCOMPARE(resolveApiToken(dir.path()), token);   // the same on the next start
        QVERIFY(regenerateApiToken(dir.path()) != token);
        qputenv("ECHOFORGE_API_TOKEN", "from-the-environment");
        QCOMPARE(resolveApiToken(dir.path()), QStringLiteral("from-the-environment"));
        qunsetenv("ECHOFORGE_API_TOKEN");
    }

    // Each encoding read back by libsndfile (readAudio) holds the same tone.
    void encodings_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("wav") << int(AudioFormat::Wav) << "wav" << 1e-4;
        QTest::newRow("flac") << int(AudioFormat::Flac) << "flac" << 1e-4;
        QTest::newRow("ogg") << int(AudioFormat::Ogg) << "ogg" << 0.05;
        QTest::newRow("opus") << int(AudioFormat::Opus) << "opus" << 0.1;
    }
    void encodings() {
        QFETCH(int, format);
        QFETCH(QString, suffix);
        QFETCH(double, tolerance);
        if (!canEncode(AudioFormat(format)))
            QSKIP("this libsndfile cannot write the format");
        std::vector<float> tone(24000);
        for (std::size_t i = 0; i < tone.size(); ++i)
            tone[i] = float(0.5 * std::sin(2 * M_PI * 440.0 * double(i) / 24000));
        const QByteArray bytes = encodeAudio(tone, 24000, AudioFormat(format));
        QTemporaryDir dir;
        QFile f(dir.filePath("x." + suffix));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const AudioBuffer back = readAudio(f.fileName(), ChannelMode::MixToMono);
        QVERIFY2(std::abs(back.durationSeconds() - 1.0) < 0.05, qPrintable(QString::number(back.durationSeconds())));
        double energy = 0;
        for (float s : back.samples)
            energy += double(s) * s;
        const double rms = std::sqrt(energy / double(back.samples.size()));
        QVERIFY2(std::abs(rms - 0.5 / std::sqrt(2.0)) < tolerance + 0.01, qPrintable(QString::number(rms)));
    }

    void pcmAndStreamHeader() {
        const std::vector<float> s{0.0f, 1.0f, -1.0f, 2.0f, std::nanf("")};
        const QByteArray pcm = pcm16(s);
        QCOMPARE(pcm.size(), 10);
        const auto* v = reinterpret_cast<const qint16*>(pcm.constData());   // this test host is little-endian
        QCOMPARE(v[0], qint16(0));
        QCOMPARE(v[1], qint16(32767));
        QCOMPARE(v[2], qint16(-32767));
        QCOMPARE(v[3], qint16(32767));            // clipped
        QCOMPARE(v[4], qint16(0));                // NaN is silence
        const QByteArray h = wavStreamHeader(24000);
        QCOMPARE(h.size(), 44);
        QCOMPARE(h.left(4), QByteArray("RIFF"));
        QCOMPARE(h.mid(8, 8), QByteArray("WAVEfmt "));
        QCOMPARE(qFromLittleEndian<quint32>(h.constData() + 24), 24000u);
        QCOMPARE(qFromLittleEndian<quint16>(h.constData() + 34), quint16(16));
    }
};

QTEST_GUILESS_MAIN(TestApiChecks)
#include "tst_api_checks.moc"
