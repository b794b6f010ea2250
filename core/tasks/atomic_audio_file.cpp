#include "core/tasks/atomic_audio_file.h"

#include <cstdio>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryFile>

#include "core/audio/audio_io.h"
#include "core/common/error.h"

namespace echoforge {
namespace {

// "Cannot write the audio file X: System error : No space left on device." -> "No space left on device".
QString systemReason(const Error& e) {
    QString reason = e.sentence().section(QStringLiteral(": "), -1).trimmed();
    while (reason.endsWith('.'))
        reason.chop(1);
    return reason;
}

} // namespace

void writeAudioAtomically(const QString& path, std::span<const float> samples, int sampleRate) {
    if (!isWritableAudioSuffix(path))
        throw Error(QStringLiteral("Cannot write %1: choose a file name ending in .wav or .flac.").arg(path));
    const QFileInfo target(path);
    const QString folder = target.absolutePath();
    if (!QDir().mkpath(folder))
        throw Error(QStringLiteral("Cannot create the folder %1 for %2; check that it is writable.").arg(folder, path));

    // The temporary keeps the suffix: the writer picks the format from it.
    QTemporaryFile temporary(QDir(folder).filePath(QStringLiteral(".%1.XXXXXX.%2").arg(target.completeBaseName(), target.suffix())));
    if (!temporary.open())
        throw Error(QStringLiteral("Cannot write in the folder %1 (%2); check that it is writable and the disk has room.")
                        .arg(folder, temporary.errorString()));
    temporary.close();
    try {
        writeAudio(temporary.fileName(), AudioBuffer{std::vector<float>(samples.begin(), samples.end()), sampleRate, 1});
    } catch (const Error& e) {
        // The user knows the take's name, not the temporary's; a full disk is the usual cause.
        throw Error(QStringLiteral("Cannot write %1 (%2); check that the disk has room.").arg(path, systemReason(e)));
    }
    if (std::rename(QFile::encodeName(temporary.fileName()).constData(), QFile::encodeName(target.absoluteFilePath()).constData()) != 0)
        throw Error(QStringLiteral("Cannot put the finished audio at %1; check that the folder is writable.").arg(path));
    temporary.setAutoRemove(false);   // it is the target now
}

int removeStaleAudioTemporaries(const QString& folder) {
    // The template above: a dot, the take's name, QTemporaryFile's six characters, the suffix.
    static const QRegularExpression temporaryName(QStringLiteral("^\\..+\\.[A-Za-z0-9]{6}\\.(wav|flac)$"));
    int removed = 0;
    const QDir dir(folder);
    for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden)) {
        if (temporaryName.match(name).hasMatch() && QFile::remove(dir.filePath(name)))
            ++removed;
    }
    return removed;
}

} // namespace echoforge
