#include "core/generation/csm_context.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include "core/audio/audio_io.h"
#include "core/audio/resampler.h"
#include "core/common/error.h"
#include "core/common/logging.h"

namespace echoforge {
namespace {

constexpr qint64 kIdentityBytes = 1 << 20;  // the safetensors header and the first tensors

} // namespace

CsmContext::CsmContext(const Llama3Tokenizer& tokenizer, const MimiCodec& codec, QString codecIdentity,
                       QString cacheDir)
    : tokenizer_(tokenizer), codec_(codec), codecIdentity_(std::move(codecIdentity)), cache_(std::move(cacheDir)) {}

CodeMatrix CsmContext::referenceCodes(const QString& audioPath, bool* wasCached) const {
    AudioBuffer clip = readAudio(audioPath, ChannelMode::MixToMono);
    if (clip.empty())
        throw Error(QStringLiteral("The reference clip %1 holds no audio.").arg(audioPath));
    if (clip.sampleRate != codec_.sampleRate())
        clip = resample(clip, codec_.sampleRate());
    const QString key = CloneCodesCache::key(clip.samples, clip.sampleRate, codecIdentity_);
    if (auto cached = cache_.lookup(key)) {
        if (wasCached)
            *wasCached = true;
        return *cached;
    }
    logger(LogArea::Model)->info("encoding the reference clip {} ({:.1f} s) with Mimi", audioPath, clip.durationSeconds());
    CodeMatrix codes = codec_.encode(clip.samples);
    cache_.store(key, codes);
    if (wasCached)
        *wasCached = false;
    return codes;
}

void CsmContext::appendText(CsmPromptBuilder& prompt, int speaker, const QString& text) const {
    const std::vector<std::int32_t> ids = tokenizer_.encodeSegment(speaker, text.toStdString());
    prompt.appendText(ids);
}

void CsmContext::appendSegment(CsmPromptBuilder& prompt, int speaker, const QString& text,
                               const CodeMatrix& codes) const {
    appendText(prompt, speaker, text);
    // CSM reads as many codebooks as it generates; a codec with more keeps the first ones.
    if (static_cast<int>(codes.size()) > prompt.numCodebooks())
        prompt.appendAudio(CodeMatrix(codes.begin(), codes.begin() + prompt.numCodebooks()));
    else
        prompt.appendAudio(codes);
}

void CsmContext::appendSegment(CsmPromptBuilder& prompt, const ReferenceSegment& segment) const {
    appendSegment(prompt, segment.speakerId, segment.transcript, referenceCodes(segment.audioPath));
}

int CsmContext::textFrames(int speaker, const QString& text) const {
    return static_cast<int>(tokenizer_.encodeSegment(speaker, text.toStdString()).size());
}

QString modelFileIdentity(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read the model file %1: %2.").arg(path, f.errorString()));
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(QByteArray::number(f.size()));
    h.addData(f.read(kIdentityBytes));
    return QString::fromLatin1(h.result().toHex().left(16));
}

} // namespace echoforge
