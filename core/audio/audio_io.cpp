#include "core/audio/audio_io.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include <QDir>
#include <QFileInfo>
#include <sndfile.h>

#include "core/common/error.h"
#include "core/common/logging.h"

namespace echoforge {
namespace {

struct SndfileCloser {
    void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

// libsndfile's codes for "this is not a format I know" as opposed to an I/O failure.
// The most samples (all channels) readAudio() decodes: 2^27 floats take 512 MB.
constexpr sf_count_t kMaxSamples = sf_count_t(1) << 27;

bool isFormatError(int code) {
    return code == SF_ERR_UNRECOGNISED_FORMAT || code == SF_ERR_MALFORMED_FILE ||
           code == SF_ERR_UNSUPPORTED_ENCODING;
}

} // namespace

AudioBuffer readAudio(const QString& path, ChannelMode mode) {
    const QFileInfo info(path);
    if (!info.exists())
        throw Error(QStringLiteral("The audio file %1 does not exist.").arg(path));
    if (!info.isFile())
        throw Error(QStringLiteral("%1 is a folder, not an audio file.").arg(path));
    if (!info.isReadable())
        throw Error(QStringLiteral("The audio file %1 cannot be read; check its permissions.").arg(path));
    if (info.size() == 0)
        throw Error(QStringLiteral("The audio file %1 is empty (0 bytes).").arg(path));

    SF_INFO sfInfo{};
    SndfileHandle file(sf_open(QFile::encodeName(path).constData(), SFM_READ, &sfInfo));
    if (!file) {
        const int code = sf_error(nullptr);
        if (isFormatError(code))
            throw Error(QStringLiteral("%1 is not an audio file EchoForge can read (WAV, FLAC, OGG or MP3).").arg(path));
        throw Error(QStringLiteral("Cannot read the audio file %1: %2.").arg(path, QString::fromUtf8(sf_strerror(nullptr))));
    }
    if (sfInfo.channels <= 0 || sfInfo.samplerate <= 0)
        throw Error(QStringLiteral("%1 is not an audio file EchoForge can read (no channels or sample rate).").arg(path));

    AudioBuffer audio;
    audio.sampleRate = sfInfo.samplerate;
    audio.channels = sfInfo.channels;
    // MP3 and some OGG files report no frame count in advance, so read in blocks until the end.
    // About 64k samples a block whatever the channel count (libsndfile allows 1,024 channels).
    const sf_count_t kBlockFrames = std::max<sf_count_t>(1, 65536 / sfInfo.channels);
    std::vector<float> block(std::size_t(kBlockFrames) * std::size_t(sfInfo.channels));
    // The header's frame count is only a hint: a damaged 100-byte header can claim billions of
    // frames. Reserve no more than the file could plausibly hold (16 samples per byte covers
    // lossless and lossy compression of real sound); the vector grows past that if it must.
    const std::size_t plausible = std::size_t(info.size()) * 16;
    if (sfInfo.frames > 0)
        audio.samples.reserve(std::min(plausible, std::size_t(std::min<sf_count_t>(sfInfo.frames, kMaxSamples)) *
                                                      std::size_t(sfInfo.channels)));
    for (;;) {
        const sf_count_t got = sf_readf_float(file.get(), block.data(), kBlockFrames);
        if (got <= 0)
            break;
        audio.samples.insert(audio.samples.end(), block.begin(), block.begin() + got * sfInfo.channels);
        // A few bytes of FLAC or MP3 can decode to hours of sound; stop before memory runs out.
        if (audio.samples.size() > std::size_t(kMaxSamples))
            throw Error(QStringLiteral("The audio file %1 is too long for EchoForge: it decodes to more than %2 "
                                       "million samples (over %3 minutes at 48 kHz stereo).")
                            .arg(path).arg(kMaxSamples / 1000000).arg(kMaxSamples / (48000 * 2 * 60)));
    }
    if (sf_error(file.get()) != SF_ERR_NO_ERROR)
        throw Error(QStringLiteral("Cannot read the audio file %1: %2.").arg(path, QString::fromUtf8(sf_strerror(file.get()))));
    if (audio.samples.empty())
        throw Error(QStringLiteral("The audio file %1 holds no sound (zero length).").arg(path));
    // A float file can hold NaN or infinity; passed on, one such sample spoils every filter,
    // resampler and loudness measurement after it.
    if (!std::all_of(audio.samples.begin(), audio.samples.end(), [](float s) { return std::isfinite(s); }))
        throw Error(QStringLiteral("The audio file %1 is damaged: it holds samples that are not numbers (NaN or "
                                   "infinity).").arg(path));

    logger(LogArea::Audio)->debug("read {}: {} Hz, {} channel(s), {:.2f} s", path, audio.sampleRate, audio.channels,
                                  audio.durationSeconds());
    return mode == ChannelMode::MixToMono ? mixToMono(audio) : audio;
}

bool isWritableAudioSuffix(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == "wav" || suffix == "flac";
}

void writeAudio(const QString& path, const AudioBuffer& audio, SampleFormat format) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    int sfFormat = 0;
    if (suffix == "wav")
        sfFormat = SF_FORMAT_WAV | (format == SampleFormat::Float32 ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
    else if (suffix == "flac")
        sfFormat = SF_FORMAT_FLAC | (format == SampleFormat::Float32 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16);
    else
        throw Error(QStringLiteral("Cannot write %1: choose a file name ending in .wav or .flac.").arg(path));
    if (audio.sampleRate <= 0 || audio.channels <= 0)
        throw Error(QStringLiteral("Cannot write %1: the audio has no sample rate or channels.").arg(path));

    const QString parent = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(parent))
        throw Error(QStringLiteral("Cannot create the folder %1 to write %2.").arg(parent, path));

    SF_INFO sfInfo{};
    sfInfo.samplerate = audio.sampleRate;
    sfInfo.channels = audio.channels;
    sfInfo.format = sfFormat;
    SndfileHandle file(sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &sfInfo));
    if (!file)
        throw Error(QStringLiteral("Cannot write the audio file %1: %2.").arg(path, QString::fromUtf8(sf_strerror(nullptr))));
    // Integer formats: let libsndfile clip instead of wrapping around.
    sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const sf_count_t frames = sf_count_t(audio.frames());
    if (sf_writef_float(file.get(), audio.samples.data(), frames) != frames)
        throw Error(QStringLiteral("Cannot write the audio file %1: %2.").arg(path, QString::fromUtf8(sf_strerror(file.get()))));
}

} // namespace echoforge
