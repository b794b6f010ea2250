#include "core/common/process_lock.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QFile>

#include "core/common/error.h"
#include "core/common/logging.h"

namespace echoforge {

namespace {

QString systemReason(int error = errno) { return QString::fromLocal8Bit(std::strerror(error)); }

// "<pid>\n<program>\n", as the holder wrote it; a file being written reads as pid 0.
ProcessLock::Holder readHolder(const QString& file) {
    ProcessLock::Holder holder;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return holder;
    const QList<QByteArray> lines = f.read(4096).split('\n');
    bool ok = false;
    const qint64 pid = lines.value(0).trimmed().toLongLong(&ok);
    if (ok && pid > 0)
        holder.pid = pid;
    holder.program = QString::fromUtf8(lines.value(1).trimmed());
    return holder;
}

// Whether `path` still names the file open as `fd` (not removed, nor replaced by another).
bool isStillAt(int fd, const QByteArray& path) {
    struct stat open {}, named {};
    return ::fstat(fd, &open) == 0 && ::stat(path.constData(), &named) == 0 && open.st_dev == named.st_dev &&
           open.st_ino == named.st_ino;
}

// flock's answers for a file system that keeps no locks at all, as opposed to one held by another.
bool fileSystemHasNoLocks(int error) { return error == ENOLCK || error == EOPNOTSUPP || error == ENOSYS || error == EINVAL; }

} // namespace

std::unique_ptr<ProcessLock> ProcessLock::tryTake(const QString& file, Holder* holder) {
    const QByteArray path = QFile::encodeName(file);
    for (;;) {
        // O_CLOEXEC: a program this one starts must not hold the lock on after we end.
        const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            throw Error(ErrorKind::Io, QStringLiteral("Cannot open the lock file %1: %2.").arg(file, systemReason()));
        int failure;   // flock's errno, 0 once locked
        do
            failure = ::flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno;
        while (failure == EINTR);
        if (failure == EWOULDBLOCK) {
            ::close(fd);
            if (holder)
                *holder = readHolder(file);
            return nullptr;
        }
        if (failure != 0 && !fileSystemHasNoLocks(failure)) {
            ::close(fd);
            throw Error(ErrorKind::Io, QStringLiteral("Cannot lock the file %1: %2.").arg(file, systemReason(failure)));
        }
        // Some FUSE and network mounts have no locks. The folder still works; only a second
        // EchoForge on it is not refused (QLockFile, used before, went on the same way).
        if (failure != 0)
            logger(LogArea::Core)->warn("the file system of {} has no locks ({}): another EchoForge on this folder "
                                        "would not be refused",
                                        file.toStdString(), systemReason(failure).toStdString());
        // A holder removes the file as it lets go: if we opened it just before, our flock is on a
        // file no one else will open again, and the lock is the one now at the path. Try again.
        if (!isStillAt(fd, path)) {
            ::close(fd);
            continue;
        }
        // Ours now. Who holds it, for the sentence another process shows; failing to say it
        // does not weaken the lock.
        const QByteArray who =
            QByteArray::number(QCoreApplication::applicationPid()) + '\n' + QCoreApplication::applicationName().toUtf8() + '\n';
        const bool said = ::ftruncate(fd, 0) == 0 && ::pwrite(fd, who.constData(), size_t(who.size()), 0) == who.size();
        if (!said)
            logger(LogArea::Core)->warn("could not write who holds {}: {}", file.toStdString(), systemReason().toStdString());
        return std::unique_ptr<ProcessLock>(new ProcessLock(file, fd));
    }
}

ProcessLock::~ProcessLock() {
    // Removed while still held (see tryTake), and only if the path is still our file.
    const QByteArray path = QFile::encodeName(m_file);
    if (isStillAt(m_descriptor, path))
        ::unlink(path.constData());
    ::close(m_descriptor);   // the flock goes with the last descriptor of this open
}

} // namespace echoforge
