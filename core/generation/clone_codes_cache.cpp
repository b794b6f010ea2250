#include "core/generation/clone_codes_cache.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QFile>
#include <QSaveFile>

#include "core/common/logging.h"

namespace echoforge {
namespace {

constexpr quint32 kMagic = 0x45464343;  // "EFCC"
constexpr quint32 kVersion = 1;
constexpr quint32 kMaxCodebooks = 64;
constexpr quint32 kMaxFrames = 1u << 20;
constexpr qint16 kCodeLimit = 2048;   // Mimi codebooks hold 2048 entries

} // namespace

CloneCodesCache::CloneCodesCache(QString dir) : dir_(std::move(dir)) {
    QDir().mkpath(dir_);
}

QString CloneCodesCache::key(std::span<const float> pcm, int sampleRate, const QString& codecIdentity) {
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(codecIdentity.toUtf8());
    h.addData(QByteArray::number(sampleRate));
    h.addData(QByteArrayView(reinterpret_cast<const char*>(pcm.data()), qsizetype(pcm.size_bytes())));
    return QString::fromLatin1(h.result().toHex());
}

QString CloneCodesCache::pathFor(const QString& key) const {
    return QDir(dir_).filePath(key + ".codes");
}

std::optional<CodeMatrix> CloneCodesCache::lookup(const QString& key) const {
    QFile f(pathFor(key));
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    QDataStream in(&f);
    quint32 magic = 0, version = 0, codebooks = 0, frames = 0;
    in >> magic >> version >> codebooks >> frames;
    if (in.status() != QDataStream::Ok || magic != kMagic || version != kVersion || codebooks > kMaxCodebooks ||
        frames > kMaxFrames || f.size() != 16 + qint64(codebooks) * frames * 2) {
        logger(LogArea::Audio)->warn("ignoring a damaged clone-codes cache entry {}", f.fileName());
        return std::nullopt;
    }
    CodeMatrix codes(codebooks, std::vector<std::int64_t>(frames));
    bool inRange = true;
    for (auto& row : codes)
        for (auto& code : row) {
            qint16 value = 0;
            in >> value;
            code = value;
            inRange = inRange && value >= 0 && value < kCodeLimit;
        }
    // A flipped bit can keep the size right; a code outside the codebook would index past CSM's
    // audio embeddings, so the entry is ignored and the clip encoded again.
    if (in.status() != QDataStream::Ok || !inRange) {
        logger(LogArea::Audio)->warn("ignoring a damaged clone-codes cache entry {}", f.fileName());
        return std::nullopt;
    }
    return codes;
}

void CloneCodesCache::store(const QString& key, const CodeMatrix& codes) const {
    QSaveFile f(pathFor(key));
    if (!f.open(QIODevice::WriteOnly))
        return;
    QDataStream out(&f);
    const quint32 frames = codes.empty() ? 0 : quint32(codes.front().size());
    out << kMagic << kVersion << quint32(codes.size()) << frames;
    for (const auto& row : codes)
        for (std::int64_t code : row)
            out << qint16(code);  // Mimi codes are < 2048
    if (!f.commit())
        logger(LogArea::Audio)->warn("cannot write the clone-codes cache entry {}", f.fileName());
}

} // namespace echoforge
