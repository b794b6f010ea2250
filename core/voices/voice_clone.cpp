#include "core/voices/voice_clone.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include "core/audio/audio_buffer.h"
#include "core/audio/audio_io.h"
#include "core/audio/loudness.h"
#include "core/audio/resampler.h"
#include "core/audio/silence.h"
#include "core/common/error.h"
#include "core/voices/voice_library.h"

namespace echoforge {
namespace {

constexpr double kFadeInSeconds = 0.010;    // no click where the trimmed clip starts
constexpr double kFadeOutSeconds = 0.020;

QString seconds(double s) {
    return QString::number(s, 'g', 3);
}

} // namespace

AudioBuffer prepareReferenceClip(const QString& audioPath, const CloneLimits& limits) {
    const AudioBuffer original = readAudio(audioPath, ChannelMode::MixToMono);
    const QString range = QStringLiteral("%1 to %2 s").arg(seconds(limits.minSpeechSeconds), seconds(limits.maxSpeechSeconds));
    if (original.durationSeconds() < limits.minSpeechSeconds)
        throw Error(ErrorKind::InvalidInput, QStringLiteral("The clip %1 is only %2 s long; a voice needs %3 of speech.")
                        .arg(audioPath, seconds(original.durationSeconds()), range));

    AudioBuffer clip = trimSilence(resample(original, kOutputSampleRate));
    if (clip.empty())
        throw Error(ErrorKind::InvalidInput, QStringLiteral("The clip %1 is silent; record %2 of speech.").arg(audioPath, range));
    const double speech = speechSeconds(clip);
    if (speech < limits.minSpeechSeconds)
        throw Error(ErrorKind::InvalidInput, QStringLiteral("The clip %1 holds only %2 s of speech (the rest is silence); a voice needs %3.")
                        .arg(audioPath, seconds(speech), range));
    if (clip.durationSeconds() > limits.maxSpeechSeconds)
        throw Error(ErrorKind::InvalidInput, QStringLiteral("The clip %1 is %2 s long without its silent ends; cut it to %3 of speech.")
                        .arg(audioPath, seconds(clip.durationSeconds()), range));

    normalizeLoudness(clip, limits.targetLufs);
    applyFades(clip, kFadeInSeconds, kFadeOutSeconds);
    return clip;
}

Character cloneCharacter(VoiceLibrary& library, const CloneRequest& request, const CloneLimits& limits) {
    if (request.name.trimmed().isEmpty())
        throw Error(ErrorKind::InvalidInput, "Give the new character a name.");
    if (request.transcript.trimmed().isEmpty())
        throw Error(ErrorKind::InvalidInput, "Give the transcript of the clip: the words spoken in it, as they are spoken.");
    const QString gender = request.gender.trimmed().toLower();
    if (gender != "female" && gender != "male" && gender != "neutral")
        throw Error(ErrorKind::InvalidInput, QStringLiteral("The gender '%1' is not one of female, male or neutral.").arg(request.gender));

    const AudioBuffer clip = prepareReferenceClip(request.audioPath, limits);
    QTemporaryDir staging;
    if (!staging.isValid())
        throw Error(ErrorKind::Io, QStringLiteral("Cannot make a temporary folder: %1.").arg(staging.errorString()));
    const QString clipPath = staging.filePath("reference.wav");
    writeAudio(clipPath, clip, SampleFormat::Pcm16);

    Character draft;
    draft.name = request.name.trimmed();
    draft.gender = gender;
    draft.ageRange = "unknown";
    draft.language = request.language.isEmpty() ? QStringLiteral("en") : request.language;
    for (const QString& style : request.styles)
        if (!style.trimmed().isEmpty())
            draft.styles << style.trimmed().toLower();
    draft.styles << "cloned";
    draft.styles.removeDuplicates();
    draft.description = request.description.isEmpty()
                            ? QStringLiteral("Cloned from %1.").arg(QFileInfo(request.audioPath).fileName())
                            : request.description;
    draft.sampleText = QStringLiteral("Hello, I'm %1. This is how I sound.").arg(draft.name);
    draft.segments = {ReferenceSegment{clipPath, request.transcript.simplified(), 0}};
    draft.csmSpeakerId = 0;
    draft.espeak.voice.clear();   // eSpeak NG cannot clone: only CSM speaks this character
    return library.addUserCharacter(draft);
}

} // namespace echoforge
