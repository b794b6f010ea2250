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

// Whether the file is a whole WAV as writeAudio left it: "RIFF", the RIFF size that libsndfile
// writes when it closes the file (file size − 8), "WAVE". A sample cut short by a crash or a full
// disk, or overwritten with other bytes, fails this and is rendered again rather than played.
bool isWholeWav(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = f.read(12);
    if (head.size() != 12 || !head.startsWith("RIFF") || head.mid(8, 4) != "WAVE")
        return false;
    const quint32 riffSize = quint32(quint8(head[4])) | quint32(quint8(head[5])) << 8 | quint32(quint8(head[6])) << 16 |
                             quint32(quint8(head[7])) << 24;
    return qint64(riffSize) + 8 == f.size();
}

} // namespace

SampleCache::SampleCache(QString cacheDir) : folder_(QDir(cacheDir).filePath("samples")) {}

QString SampleCache::pathFor(const QString& engineId, const Character& character) const {
    return QDir(folder_).filePath(QStringLiteral("%1-%2-%3.wav").arg(engineId, character.id,
                                                                    QString::fromLatin1(voiceFingerprint(character))));
}

std::optional<QString> SampleCache::find(const QString& engineId, const Character& character) const {
    const QString path = pathFor(engineId, character);
    if (!QFileInfo(path).isFile())
        return std::nullopt;
    if (!isWholeWav(path)) {
        logger(LogArea::Audio)->warn("dropping a damaged sample cache entry {}; it is rendered again", path);
        QFile::remove(path);
        return std::nullopt;
    }
    return path;
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
