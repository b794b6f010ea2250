#pragma once
// Mimi codes of a cloned clip, cached on disk by the audio's hash and the codec's identity, so a
// character's reference clip is encoded once and later generations skip the encoder.

#include <optional>
#include <span>

#include <QString>

#include "core/generation/csm_prompt.h"

namespace echoforge {

class CloneCodesCache {
public:
    explicit CloneCodesCache(QString dir);

    static QString key(std::span<const float> pcm, int sampleRate, const QString& codecIdentity);

    std::optional<CodeMatrix> lookup(const QString& key) const;
    void store(const QString& key, const CodeMatrix& codes) const;

private:
    QString pathFor(const QString& key) const;
    QString dir_;
};

} // namespace echoforge
