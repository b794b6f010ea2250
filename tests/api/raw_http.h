#pragma once
// A plain HTTP/1.1 client over a QTcpSocket for the API tests: it writes exactly the bytes a test
// gives (any Host header, any body) and reads the answer while the event loop runs, so a server
// in the same thread keeps working. Decodes chunked bodies and notes when body bytes arrived.

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QtTest>

namespace echoforge::test {

struct RawResponse {
    int status = 0;                       // 0: no answer
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;                      // de-chunked
    qint64 firstBodyMs = -1;              // since the request was sent, when body bytes first came
    qint64 firstBodyEpochMs = -1;         // the same, as wall-clock time
    qint64 endMs = -1;                    // when the answer was complete

    QByteArray header(const QByteArray& name) const {
        for (const auto& [k, v] : headers)
            if (k.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const { return json().value("error").toObject().value("code").toString(); }
};

// Decodes a chunked body; false while it is incomplete.
inline bool dechunk(const QByteArray& raw, QByteArray& out) {
    out.clear();
    qsizetype pos = 0;
    while (true) {
        const qsizetype lineEnd = raw.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return false;
        bool ok = false;
        const qsizetype size = raw.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
        if (!ok)
            return false;
        if (size == 0)
            return raw.size() >= lineEnd + 4;
        if (raw.size() < lineEnd + 2 + size + 2)
            return false;
        out += raw.mid(lineEnd + 2, size);
        pos = lineEnd + 2 + size + 2;
    }
}

class RawHttp {
public:
    explicit RawHttp(quint16 port) : m_port(port) {}

    // Sends `method path` with the given extra header lines (each "Name: value") and body.
    RawResponse send(const QByteArray& method, const QByteArray& path, const QList<QByteArray>& headerLines = {},
                     const QByteArray& body = {}, int timeoutMs = 20000, const QByteArray& host = "127.0.0.1") {
        QByteArray request = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n";
        for (const QByteArray& h : headerLines)
            request += h + "\r\n";
        if (!body.isEmpty() || method == "POST")
            request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        request += "\r\n" + body;
        return sendRaw(request, timeoutMs);
    }

    RawResponse sendRaw(const QByteArray& bytes, int timeoutMs = 20000) {
        RawResponse r;
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000))
            return r;
        QElapsedTimer clock;
        clock.start();
        socket.write(bytes);
        QByteArray raw;
        qsizetype headerEnd = -1;
        bool closed = false;
        QObject::connect(&socket, &QTcpSocket::disconnected, [&closed] { closed = true; });
        const auto complete = [&] {
            raw += socket.readAll();
            if (headerEnd < 0 && (headerEnd = raw.indexOf("\r\n\r\n")) >= 0)
                parseHead(raw.left(headerEnd), r);
            if (headerEnd < 0)
                return closed;
            const QByteArray rest = raw.mid(headerEnd + 4);
            if (!rest.isEmpty() && r.firstBodyMs < 0) {
                r.firstBodyMs = clock.elapsed();
                r.firstBodyEpochMs = QDateTime::currentMSecsSinceEpoch();
            }
            if (r.header("Transfer-Encoding") == "chunked")
                return dechunk(rest, r.body) || closed;
            r.body = rest;
            const QByteArray length = r.header("Content-Length");
            return (!length.isEmpty() && rest.size() >= length.toLongLong()) || closed;
        };
        QTest::qWaitFor(complete, timeoutMs);
        r.endMs = clock.elapsed();
        if (headerEnd < 0)
            r.status = 0;
        return r;
    }

private:
    static void parseHead(const QByteArray& head, RawResponse& r) {
        const QList<QByteArray> lines = head.split('\n');
        r.status = lines.value(0).split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers << qMakePair(lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed());
        }
    }

    quint16 m_port;
};

} // namespace echoforge::test
