#pragma once
// Finished audio cached on disk by (model identity, character, text, parameters, seed), kept
// under a size cap by evicting the least recently used entries. Thread-safe.

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include <QString>

#include "core/engine/speech_engine.h"

namespace echoforge {

struct CachedAudio {
    std::vector<float> samples;
    int sampleRate = 0;
};

class AudioCache {
public:
    AudioCache(QString dir, std::int64_t capBytes);

    // The cache key of a take; only a fixed seed makes a take repeatable, so callers cache
    // only requests whose seed is set.
    static QString key(const QString& modelIdentity, const QString& characterId, const QString& text,
                       const GenerationParams& params, std::uint64_t seed);

    std::optional<CachedAudio> lookup(const QString& key);
    // Stores atomically, then evicts the oldest entries while over the cap.
    void store(const QString& key, std::span<const float> samples, int sampleRate);

    std::int64_t sizeBytes() const;
    QString dir() const { return dir_; }

private:
    QString pathFor(const QString& key) const;
    void enforceCap();

    QString dir_;
    std::int64_t capBytes_;
    mutable std::mutex mutex_;
};

} // namespace echoforge
