#include "core/voices/voice_anchor.h"

#include <cmath>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include "core/audio/audio_io.h"
#include "core/audio/resampler.h"
#include "core/common/error.h"
#include "core/common/logging.h"

namespace echoforge {
namespace {

constexpr int kSchema = 1;
constexpr int kAnchorSampleRate = 24000;   // CSM's (Mimi's) rate
constexpr double kShortestTakeSeconds = 1.0;
constexpr double kLongestTakeSeconds = 30.0;
constexpr float kSilentPeak = 1e-3f;       // -60 dBFS: nothing a listener would hear as a voice

QString anchorFile(const QString& folder) {
    return QDir(folder).filePath("anchor.json");
}

void checkId(const QString& id) {
    static const QRegularExpression valid(QStringLiteral("^[a-z0-9][a-z0-9-]{0,63}$"));
    if (!valid.match(id).hasMatch())
        throw Error(QStringLiteral("'%1' is not a character id; 'echoforge-cli voices' lists them.").arg(id));
}

} // namespace

std::uint64_t fixedVoiceSeed(const QString& characterId) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;   // FNV-1a offset basis
    for (const char byte : (QStringLiteral("echoforge-voice:") + characterId).toUtf8()) {
        hash ^= std::uint8_t(byte);
        hash *= 0x100000001b3ULL;                 // FNV prime
    }
    return hash;
}

QString anchorSampleText(const Character& character) {
    return character.sampleText.trimmed().isEmpty()
               ? QStringLiteral("Hello. This is how I sound, and I will sound the same every time.")
               : character.sampleText.trimmed();
}

AnchorStore::AnchorStore(QString dir) : dir_(std::move(dir)) {}

QString AnchorStore::folder(const QString& characterId) const {
    return QDir(dir_).filePath(characterId);
}

bool AnchorStore::has(const QString& characterId) const {
    return !dir_.isEmpty() && QFileInfo::exists(anchorFile(folder(characterId)));
}

std::optional<VoiceAnchor> AnchorStore::find(const QString& characterId) const {
    if (dir_.isEmpty())
        return std::nullopt;
    const QString file = anchorFile(folder(characterId));
    QFile f(file);
    if (!f.exists())
        return std::nullopt;
    const auto broken = [&](const QString& why) {
        return Error(QStringLiteral("The voice anchor %1 %2; reset it (echoforge-cli anchor --voice %3 --reset) and "
                                    "audition again.").arg(file, why, characterId));
    };
    if (!f.open(QIODevice::ReadOnly))
        throw broken(QStringLiteral("cannot be read (%1)").arg(f.errorString()));
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    const QJsonObject o = doc.object();
    if (!doc.isObject() || o.value("schema").toInt() != kSchema)
        throw broken(QStringLiteral("is not an anchor file of schema %1").arg(kSchema));
    VoiceAnchor anchor;
    anchor.characterId = characterId;
    anchor.segment.audioPath = QDir(folder(characterId)).filePath(QFileInfo(o.value("audio").toString()).fileName());
    anchor.segment.transcript = o.value("transcript").toString().trimmed();
    anchor.segment.speakerId = o.value("speaker_id").toInt();
    if (o.contains("seed")) {
        bool ok = false;
        anchor.seed = o.value("seed").toString().toULongLong(&ok);
        if (!ok)
            anchor.seed.reset();
    }
    anchor.automatic = o.value("automatic").toBool();
    anchor.created = QDateTime::fromString(o.value("created").toString(), Qt::ISODate);
    if (anchor.segment.transcript.isEmpty())
        throw broken(QStringLiteral("has no transcript"));
    if (!QFileInfo(anchor.segment.audioPath).isFile())
        throw broken(QStringLiteral("names the take %1, which does not exist").arg(anchor.segment.audioPath));
    return anchor;
}

VoiceAnchor AnchorStore::keep(const QString& characterId, const AudioBuffer& take, const QString& transcript,
                              int speakerId, std::optional<std::uint64_t> seed, bool automatic) {
    checkId(characterId);
    if (dir_.isEmpty())
        throw Error("There is no folder for voice anchors.");
    if (transcript.trimmed().isEmpty())
        throw Error("A voice anchor needs the transcript of its take: what is said in it.");
    if (take.empty() || take.sampleRate <= 0)
        throw Error("The take holds no audio.");
    for (float s : take.samples)
        if (!std::isfinite(s))
            throw Error("The take holds samples that are not numbers (NaN or infinite); it cannot be a voice.");
    AudioBuffer mono = mixToMono(take);
    if (mono.sampleRate != kAnchorSampleRate)
        mono = resample(mono, kAnchorSampleRate);
    if (mono.durationSeconds() < kShortestTakeSeconds || mono.durationSeconds() > kLongestTakeSeconds)
        throw Error(QStringLiteral("The take is %1 s long; a voice anchor needs %2 to %3 s of speech.")
                        .arg(mono.durationSeconds(), 0, 'f', 1).arg(kShortestTakeSeconds).arg(kLongestTakeSeconds));
    if (peakAmplitude(mono) < kSilentPeak)
        throw Error("The take is silent; choose a take where the voice can be heard.");

    const QString dir = folder(characterId);
    if (!QDir().mkpath(dir))
        throw Error(QStringLiteral("Cannot create the folder %1; check that it is writable.").arg(dir));
    // Named by its content: a new take never overwrites the file the current anchor names.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayView(reinterpret_cast<const char*>(mono.samples.data()), qsizetype(mono.samples.size() * sizeof(float))));
    const QString audioName = QStringLiteral("take-%1.wav").arg(QString::fromLatin1(hash.result().toHex().left(12)));
    writeAudio(QDir(dir).filePath(audioName), mono, SampleFormat::Float32);

    VoiceAnchor anchor;
    anchor.characterId = characterId;
    anchor.segment = ReferenceSegment{QDir(dir).filePath(audioName), transcript.simplified(), speakerId};
    anchor.seed = seed;
    anchor.automatic = automatic;
    anchor.created = QDateTime::currentDateTimeUtc();
    QJsonObject o{{"schema", kSchema},
                  {"audio", audioName},
                  {"transcript", anchor.segment.transcript},
                  {"speaker_id", speakerId},
                  {"automatic", automatic},
                  {"created", anchor.created.toString(Qt::ISODate)}};
    if (seed)
        o.insert("seed", QString::number(*seed));   // a string: JSON numbers lose 64-bit seeds
    const QByteArray json = QJsonDocument(o).toJson();
    QSaveFile out(anchorFile(dir));
    if (!out.open(QIODevice::WriteOnly) || out.write(json) != json.size() || !out.commit())
        throw Error(QStringLiteral("Cannot write %1: %2.").arg(anchorFile(dir), out.errorString()));
    // Only now is the old take unused.
    for (const QFileInfo& old : QDir(dir).entryInfoList({"take-*.wav"}, QDir::Files))
        if (old.fileName() != audioName)
            QFile::remove(old.filePath());
    logger(LogArea::Core)->info("kept a {} voice anchor for {} ({:.1f} s)", automatic ? "first-use" : "chosen",
                                characterId.toStdString(), mono.durationSeconds());
    return anchor;
}

VoiceAnchor AnchorStore::keepFile(const QString& characterId, const QString& audioPath, const QString& transcript,
                                  int speakerId, std::optional<std::uint64_t> seed) {
    return keep(characterId, readAudio(audioPath, ChannelMode::MixToMono), transcript, speakerId, seed, false);
}

bool AnchorStore::reset(const QString& characterId) {
    checkId(characterId);
    const QString dir = folder(characterId);
    if (!QFileInfo::exists(dir))
        return false;
    if (!QDir(dir).removeRecursively())
        throw Error(QStringLiteral("Cannot remove the folder %1.").arg(dir));
    return true;
}

} // namespace echoforge
