#pragma once
// Each character's sample line, rendered once per engine and kept on disk as WAV under
// <cacheDir>/samples. The key is the engine id, the character id and a hash of the sample text
// and the voice settings, so editing either renders it again.

#include <optional>

#include <QString>

#include "core/engine/speech_engine.h"

namespace echoforge {

class SampleCache {
public:
    // `cacheDir` is AppPaths::cacheDir; samples go in its "samples" folder.
    explicit SampleCache(QString cacheDir);

    // Where the sample of `character` by engine `engineId` is (or would be) stored.
    QString pathFor(const QString& engineId, const Character& character) const;
    // The stored sample, if it is there and whole; a damaged one is removed (and logged) so that
    // obtain() renders it again.
    std::optional<QString> find(const QString& engineId, const Character& character) const;
    // The stored sample, rendered with `engine` first when missing. Throws echoforge::Error when the
    // engine fails or the character has no sample text; a cancelled render stores nothing and throws.
    QString obtain(SpeechEngine& engine, const Character& character, const SpeechCallbacks& callbacks = {});

    QString folder() const { return folder_; }

private:
    QString folder_;
};

} // namespace echoforge
