#pragma once
// Writes arbitrary tar.gz archives (any entry type, any path, any manifest) for the backup tests,
// with libarchive directly: the damaged and hostile archives a restore must refuse. And the
// files a test puts in a data folder.

#include <algorithm>
#include <cstring>

#include <QByteArray>
#include <QCryptographicHash>
#include <QList>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QtTest>

#include <archive.h>
#include <archive_entry.h>

namespace echoforge::test {

inline void writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(f.write(bytes), bytes.size());
}

struct RawEntry {
    QString path;
    QByteArray content;
    unsigned type = AE_IFREG;   // AE_IFLNK, AE_IFDIR...
    QString linkTarget;
};

// An uncompressed tar whose one file declares `size` bytes (in base-256, as GNU tar writes sizes
// past 8 GiB) and ends right after its header: what a restore sees first of a gzip bomb, a few
// bytes that claim a huge file.
inline QByteArray tarDeclaring(const QString& path, quint64 size) {
    QByteArray header(512, '\0');
    const QByteArray name = path.toUtf8().left(99);
    std::copy(name.begin(), name.end(), header.begin());
    auto put = [&](int at, const char* text) { std::copy(text, text + std::strlen(text), header.begin() + at); };
    put(100, "0000644");   // mode
    put(108, "0000000");   // uid
    put(116, "0000000");   // gid
    header[124] = char(0x80);   // size: base-256, big-endian in the field's last 8 bytes
    for (int i = 0; i < 8; ++i)
        header[135 - i] = char((size >> (8 * i)) & 0xff);
    put(136, "00000000000");   // mtime
    header[156] = '0';         // a regular file
    put(257, "ustar");
    put(263, "00");
    std::fill(header.begin() + 148, header.begin() + 156, ' ');
    unsigned sum = 0;
    for (char c : header)
        sum += static_cast<unsigned char>(c);
    const QByteArray checksum = QByteArray::number(sum, 8).rightJustified(6, '0');
    std::copy(checksum.begin(), checksum.end(), header.begin() + 148);
    header[154] = '\0';
    return header;
}

inline QByteArray buildArchive(const QList<RawEntry>& entries) {
    QByteArray out;
    archive* a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    archive_write_open(a, &out, nullptr,
                       [](archive*, void* client, const void* buffer, size_t length) -> la_ssize_t {
                           static_cast<QByteArray*>(client)->append(static_cast<const char*>(buffer), qsizetype(length));
                           return la_ssize_t(length);
                       },
                       nullptr);
    for (const RawEntry& e : entries) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.path.toUtf8().constData());
        archive_entry_set_filetype(entry, e.type);
        archive_entry_set_perm(entry, 0644);
        if (e.type == AE_IFLNK) archive_entry_set_symlink(entry, e.linkTarget.toUtf8().constData());
        archive_entry_set_size(entry, e.type == AE_IFREG ? e.content.size() : 0);
        archive_write_header(a, entry);
        if (e.type == AE_IFREG) archive_write_data(a, e.content.constData(), size_t(e.content.size()));
        archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

// A manifest that lists `files` with their true sizes and checksums.
inline QByteArray manifestFor(const QList<RawEntry>& files, int version = 1) {
    QByteArray list;
    for (const RawEntry& f : files) {
        if (!list.isEmpty()) list += ',';
        list += QStringLiteral(R"({"path":"%1","size":%2,"sha256":"%3"})")
                    .arg(f.path)
                    .arg(f.content.size())
                    .arg(QString::fromLatin1(QCryptographicHash::hash(f.content, QCryptographicHash::Sha256).toHex()))
                    .toUtf8();
    }
    return QStringLiteral(R"({"format":"echoforge-backup","version":%1,"appVersion":"test","created":"2026-01-01T00:00:00Z","files":[)")
               .arg(version)
               .toUtf8() +
           list + "]}";
}

} // namespace echoforge::test
