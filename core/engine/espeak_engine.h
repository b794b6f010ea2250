#pragma once
// The eSpeak NG engine (libespeak-ng): speaks a character with its mapped voice, variant, pitch and
// rate, resampled from eSpeak's 22050 Hz to 24 kHz and delivered in chunks as eSpeak makes them.
// It cannot clone: a character with only a cloned voice (no eSpeak voice) is refused with a sentence.

#include <QString>
#include <QStringList>

#include "core/engine/speech_engine.h"

namespace echoforge {

class EspeakEngine : public SpeechEngine {
public:
    // Initialises libespeak-ng once per process (on first use). Throws echoforge::Error when its
    // data files cannot be found.
    EspeakEngine();

    QString id() const override { return QStringLiteral("espeak"); }
    QString displayName() const override { return QStringLiteral("eSpeak NG"); }
    bool supportsCloning() const override { return false; }

    SpeechResult synthesize(const SpeechRequest& request, const SpeechCallbacks& callbacks) override;

    // The sentence said when a cloned voice is asked of this engine.
    static QString cloningRefusal(const QString& characterName);
    // libespeak-ng's version, e.g. "1.51".
    static QString libraryVersion();
    // Voice names eSpeak NG knows ("en-us", "en-gb-x-rp", ...).
    static QStringList voiceNames();
};

} // namespace echoforge
