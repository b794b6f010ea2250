#include "core/audio/audio_encode.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <QtEndian>
#include <sndfile.h>

#include "core/common/error.h"

namespace echoforge {
namespace {

// libsndfile's virtual I/O over a QByteArray that grows as it is written.
struct MemoryFile {
    QByteArray bytes;
    sf_count_t position = 0;
};

sf_count_t memLength(void* user) { return static_cast<MemoryFile*>(user)->bytes.size(); }

sf_count_t memSeek(sf_count_t offset, int whence, void* user) {
    auto* f = static_cast<MemoryFile*>(user);
    const sf_count_t base = whence == SEEK_CUR ? f->position : whence == SEEK_END ? f->bytes.size() : 0;
    f->position = std::max<sf_count_t>(0, base + offset);
    return f->position;
}

sf_count_t memRead(void* ptr, sf_count_t count, void* user) {
    auto* f = static_cast<MemoryFile*>(user);
    const sf_count_t n = std::clamp<sf_count_t>(f->bytes.size() - f->position, 0, count);
    std::memcpy(ptr, f->bytes.constData() + f->position, std::size_t(n));
    f->position += n;
    return n;
}

sf_count_t memWrite(const void* ptr, sf_count_t count, void* user) {
    auto* f = static_cast<MemoryFile*>(user);
    if (f->position + count > f->bytes.size())
        f->bytes.resize(qsizetype(f->position + count));
    std::memcpy(f->bytes.data() + f->position, ptr, std::size_t(count));
    f->position += count;
    return count;
}

sf_count_t memTell(void* user) { return static_cast<MemoryFile*>(user)->position; }

int sndfileFormat(AudioFormat format) {
    switch (format) {
    case AudioFormat::Wav: return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    case AudioFormat::Flac: return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    case AudioFormat::Ogg: return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    case AudioFormat::Opus: return SF_FORMAT_OGG | SF_FORMAT_OPUS;
    case AudioFormat::Pcm: return 0;
    }
    return 0;
}

} // namespace

AudioFormat audioFormatFromName(const QString& name) {
    const QString n = name.trimmed().toLower();
    if (n == "wav") return AudioFormat::Wav;
    if (n == "flac") return AudioFormat::Flac;
    if (n == "ogg") return AudioFormat::Ogg;
    if (n == "opus") return AudioFormat::Opus;
    if (n == "pcm") return AudioFormat::Pcm;
    throw Error(ErrorKind::InvalidInput,
                QStringLiteral("The audio format '%1' is not one of wav, flac, ogg, opus or pcm.").arg(name.left(40)));
}

QString audioFormatName(AudioFormat format) {
    switch (format) {
    case AudioFormat::Wav: return "wav";
    case AudioFormat::Flac: return "flac";
    case AudioFormat::Ogg: return "ogg";
    case AudioFormat::Opus: return "opus";
    case AudioFormat::Pcm: return "pcm";
    }
    return "wav";
}

QByteArray audioMimeType(AudioFormat format) {
    switch (format) {
    case AudioFormat::Wav: return "audio/wav";
    case AudioFormat::Flac: return "audio/flac";
    case AudioFormat::Ogg: return "audio/ogg";
    case AudioFormat::Opus: return "audio/ogg; codecs=opus";
    case AudioFormat::Pcm: return "audio/pcm";
    }
    return "application/octet-stream";
}

bool canEncode(AudioFormat format) {
    if (format == AudioFormat::Pcm)
        return true;
    SF_INFO info{};
    info.samplerate = 24000;
    info.channels = 1;
    info.format = sndfileFormat(format);
    return sf_format_check(&info) == SF_TRUE;
}

QByteArray encodeAudio(std::span<const float> mono, int sampleRate, AudioFormat format) {
    if (format == AudioFormat::Pcm)
        return pcm16(mono);
    MemoryFile file;
    SF_VIRTUAL_IO io{memLength, memSeek, memRead, memWrite, memTell};
    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = 1;
    info.format = sndfileFormat(format);
    SNDFILE* sf = sf_open_virtual(&io, SFM_WRITE, &info, &file);
    if (!sf)
        throw Error(ErrorKind::NotInstalled, QStringLiteral("This libsndfile cannot write %1 audio (%2).")
                                                 .arg(audioFormatName(format), QString::fromUtf8(sf_strerror(nullptr))));
    sf_command(sf, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const sf_count_t frames = sf_count_t(mono.size());
    const sf_count_t written = frames > 0 ? sf_writef_float(sf, mono.data(), frames) : 0;
    const QString why = QString::fromUtf8(sf_strerror(sf));
    sf_close(sf);   // Vorbis, Opus and FLAC write their last pages here
    if (written != frames)
        throw Error(ErrorKind::Io, QStringLiteral("Encoding %1 audio failed: %2.").arg(audioFormatName(format), why));
    return file.bytes;
}

QByteArray pcm16(std::span<const float> mono) {
    QByteArray out(qsizetype(mono.size() * 2), Qt::Uninitialized);
    auto* dst = reinterpret_cast<uchar*>(out.data());
    for (std::size_t i = 0; i < mono.size(); ++i) {
        const float x = std::isfinite(mono[i]) ? std::clamp(mono[i], -1.0f, 1.0f) : 0.0f;
        qToLittleEndian<qint16>(qint16(std::lround(x * 32767.0f)), dst + 2 * i);
    }
    return out;
}

QByteArray wavStreamHeader(int sampleRate) {
    QByteArray h(44, '\0');
    auto* p = reinterpret_cast<uchar*>(h.data());
    std::memcpy(p, "RIFF", 4);
    qToLittleEndian<quint32>(0xFFFFFFFFu, p + 4);
    std::memcpy(p + 8, "WAVEfmt ", 8);
    qToLittleEndian<quint32>(16, p + 16);            // fmt chunk size
    qToLittleEndian<quint16>(1, p + 20);             // PCM
    qToLittleEndian<quint16>(1, p + 22);             // mono
    qToLittleEndian<quint32>(quint32(sampleRate), p + 24);
    qToLittleEndian<quint32>(quint32(sampleRate * 2), p + 28);   // bytes per second
    qToLittleEndian<quint16>(2, p + 32);             // block align
    qToLittleEndian<quint16>(16, p + 34);            // bits per sample
    std::memcpy(p + 36, "data", 4);
    qToLittleEndian<quint32>(0xFFFFFFFFu, p + 40);
    return h;
}

} // namespace echoforge
