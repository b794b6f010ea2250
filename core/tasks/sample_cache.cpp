#include "core/tasks/sample_cache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "core/audio/audio_io.h"
#include "core/common/error.h"
#include "core/common/logging.h"

namespace echoforge {
namespace {

// What changes how the sample sounds: its text and every voice setting.
QByteArray voiceFingerprint(const Character& c) {
    QStringList parts{c.sampleText, c.espeak.voice, c.espeak.variant, QString::number(c.espeak.pitch),
                      QString::number(c.espeak.rate), QString::number(c.csmSpeakerId)};
    for (const ReferenceSegment& s : c.segments)
        parts << s.audioPath << s.transcript << QString::number(s.speakerId)
              << QString::number(QFileInfo(s.audioPath).lastModified().toSecsSinceEpoch());
    return QCryptographicHash::hash(parts.join(QChar(0x1f)).toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
}

} // namespace

SampleCache::SampleCache(QString cacheDir) : folder_(QDir(cacheDir).filePath("samples")) {}

QString SampleCache::pathFor(const QString& engineId, const Character& character) const {
    return QDir(folder_).filePath(QStringLiteral("%1-%2-%3.wav").arg(engineId, character.id,
                                                                    QString::fromLatin1(voiceFingerprint(character))));
}

std::optional<QString> SampleCache::find(const QString& engineId, const Character& character) const {
    const QString path = pathFor(engineId, character);
    if (QFileInfo(path).isFile() && QFileInfo(path).size() > 0)
        return path;
    return std::nullopt;
}

QString SampleCache::obtain(SpeechEngine& engine, const Character& character, const SpeechCallbacks& callbacks) {
    if (auto cached = find(engine.id(), character))
        return *cached;
    if (character.sampleText.trimmed().isEmpty())
        throw Error(QStringLiteral("'%1' has no sample text to speak.").arg(character.name));

    SpeechRequest request;
    request.text = character.sampleText;
    request.character = character;
    request.params.seed = 1;   // the same take each time it is rendered again
    const SpeechResult result = engine.synthesize(request, callbacks);
    if (result.cancelled)
        throw Error(QStringLiteral("The sample of '%1' was cancelled.").arg(character.name));

    const QString path = pathFor(engine.id(), character);
    const QString partial = path + ".part.wav";
    writeAudio(partial, AudioBuffer{result.audio, result.sampleRate, 1});
    QFile::remove(path);
    if (!QFile::rename(partial, path))
        throw Error(QStringLiteral("Cannot store the sample %1.").arg(path));
    logger(LogArea::Audio)->info("rendered the sample of {} with {} into {}", character.id, engine.id(), path);
    return path;
}

} // namespace echoforge
