#include "core/tasks/wav_output.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <QByteArray>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QtEndian>

#include "core/common/error.h"

namespace echoforge {
namespace {

constexpr int kBitsPerSample = 16;
constexpr int kBytesPerSample = kBitsPerSample / 8;
constexpr int kChannels = 1;
constexpr std::uint16_t kFormatPcm = 1;
constexpr int kRiffHeaderBytes = 44;   // RIFF + fmt (16-byte body) + data chunk headers
constexpr float kPcmScale = 32767.0f;

void appendU32(QByteArray& out, std::uint32_t v) {
    char b[4];
    qToLittleEndian(v, b);
    out.append(b, 4);
}

void appendU16(QByteArray& out, std::uint16_t v) {
    char b[2];
    qToLittleEndian(v, b);
    out.append(b, 2);
}

QByteArray encodeWav(std::span<const float> samples, int sampleRate) {
    const auto dataBytes = std::uint32_t(samples.size() * kBytesPerSample);
    QByteArray out;
    out.reserve(kRiffHeaderBytes + int(dataBytes));
    out.append("RIFF", 4);
    appendU32(out, kRiffHeaderBytes - 8 + dataBytes);
    out.append("WAVEfmt ", 8);
    appendU32(out, 16);
    appendU16(out, kFormatPcm);
    appendU16(out, kChannels);
    appendU32(out, std::uint32_t(sampleRate));
    appendU32(out, std::uint32_t(sampleRate * kChannels * kBytesPerSample));
    appendU16(out, kChannels * kBytesPerSample);
    appendU16(out, kBitsPerSample);
    out.append("data", 4);
    appendU32(out, dataBytes);
    for (float s : samples) {
        const float clipped = std::isfinite(s) ? std::clamp(s, -1.0f, 1.0f) : 0.0f;
        appendU16(out, std::uint16_t(std::int16_t(std::lround(clipped * kPcmScale))));
    }
    return out;
}

} // namespace

void writeWavAtomically(const QString& path, std::span<const float> samples, int sampleRate) {
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder))
        throw Error(QStringLiteral("Cannot create the folder %1 for %2; check that it is writable.")
                        .arg(folder, path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw Error(QStringLiteral("Cannot write %1 (%2); check that the folder is writable and the disk has room.")
                        .arg(path, file.errorString()));
    const QByteArray bytes = encodeWav(samples, sampleRate);
    if (file.write(bytes) != bytes.size() || !file.commit())
        throw Error(QStringLiteral("Cannot finish writing %1 (%2); check that the disk has room.")
                        .arg(path, file.errorString()));
}

} // namespace echoforge
