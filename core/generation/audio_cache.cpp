#include "core/generation/audio_cache.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSaveFile>

#include "core/common/logging.h"

namespace echoforge {
namespace {

// File: magic, sample rate, sample count, then float32 samples, all little-endian host order.
constexpr char kMagic[4] = {'E', 'F', 'A', 'C'};
constexpr qint64 kHeaderBytes = 4 + 4 + 8;
constexpr auto kSuffix = ".efac";

} // namespace

AudioCache::AudioCache(QString dir, std::int64_t capBytes) : dir_(std::move(dir)), capBytes_(capBytes) {
    QDir().mkpath(dir_);
}

QString AudioCache::key(const QString& modelIdentity, const QString& characterId, const QString& text,
                        const GenerationParams& params, std::uint64_t seed) {
    QCryptographicHash h(QCryptographicHash::Sha256);
    const QString canonical = QStringLiteral("%1\n%2\n%3\n%4\n%5\n%6\n")
                                  .arg(modelIdentity, characterId)
                                  .arg(params.temperature, 0, 'g', 17)
                                  .arg(params.topK)
                                  .arg(params.maxSeconds, 0, 'g', 17)
                                  .arg(seed);
    h.addData(canonical.toUtf8());
    h.addData(text.toUtf8());
    return QString::fromLatin1(h.result().toHex());
}

QString AudioCache::pathFor(const QString& key) const {
    return QDir(dir_).filePath(key + kSuffix);
}

std::optional<CachedAudio> AudioCache::lookup(const QString& key) {
    std::lock_guard lock(mutex_);
    QFile f(pathFor(key));
    if (!f.exists() || !f.open(QIODevice::ReadWrite))
        return std::nullopt;
    const QByteArray bytes = f.readAll();
    char magic[4];
    std::int32_t rate = 0;
    std::int64_t count = 0;
    if (bytes.size() >= kHeaderBytes) {
        std::memcpy(magic, bytes.constData(), 4);
        std::memcpy(&rate, bytes.constData() + 4, 4);
        std::memcpy(&count, bytes.constData() + 8, 8);
    }
    if (bytes.size() < kHeaderBytes || std::memcmp(magic, kMagic, 4) != 0 || rate <= 0 || count < 0 ||
        bytes.size() != kHeaderBytes + count * qint64(sizeof(float))) {
        logger(LogArea::Audio)->warn("dropping a damaged cache entry {}", f.fileName());
        f.remove();
        return std::nullopt;
    }
    CachedAudio audio;
    audio.sampleRate = rate;
    audio.samples.resize(std::size_t(count));
    std::memcpy(audio.samples.data(), bytes.constData() + kHeaderBytes, std::size_t(count) * sizeof(float));
    // Bits flipped inside the samples keep the size right; NaN or infinity would still reach the
    // speakers (and every meter after them), so such an entry is dropped like a truncated one.
    if (!std::all_of(audio.samples.begin(), audio.samples.end(), [](float x) { return std::isfinite(x); })) {
        logger(LogArea::Audio)->warn("dropping a damaged cache entry {} (samples that are not numbers)", f.fileName());
        f.remove();
        return std::nullopt;
    }
    // The modification time is the recency the eviction orders by.
    f.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
    return audio;
}

void AudioCache::store(const QString& key, std::span<const float> samples, int sampleRate) {
    std::lock_guard lock(mutex_);
    QSaveFile f(pathFor(key));
    if (!f.open(QIODevice::WriteOnly))
        return;  // a cache that cannot write only costs time
    const std::int32_t rate = sampleRate;
    const std::int64_t count = std::int64_t(samples.size());
    f.write(kMagic, 4);
    f.write(reinterpret_cast<const char*>(&rate), 4);
    f.write(reinterpret_cast<const char*>(&count), 8);
    f.write(reinterpret_cast<const char*>(samples.data()), qint64(samples.size_bytes()));
    if (!f.commit())
        logger(LogArea::Audio)->warn("cannot write the audio cache entry {}", f.fileName());
    enforceCap();
}

std::int64_t AudioCache::sizeBytes() const {
    std::lock_guard lock(mutex_);
    std::int64_t total = 0;
    for (const QFileInfo& info : QDir(dir_).entryInfoList({QString("*") + kSuffix}, QDir::Files))
        total += info.size();
    return total;
}

void AudioCache::enforceCap() {
    QFileInfoList entries = QDir(dir_).entryInfoList({QString("*") + kSuffix}, QDir::Files, QDir::Time | QDir::Reversed);
    std::int64_t total = 0;
    for (const QFileInfo& info : entries)
        total += info.size();
    // Oldest first (QDir::Reversed of newest-first).
    for (const QFileInfo& info : entries) {
        if (total <= capBytes_)
            break;
        total -= info.size();
        QFile::remove(info.filePath());
    }
}

} // namespace echoforge
