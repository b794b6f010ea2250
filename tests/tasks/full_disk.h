#pragma once
// Two ways for a test to make writes fail as on a full disk:
// - FileSizeLimit: a file-size limit for this process (RLIMIT_FSIZE); a write past it fails with
//   EFBIG, as one on a full disk fails with ENOSPC. Works for any user.
// - SmallTmpfs: a real tmpfs of a few megabytes (ENOSPC); mounting needs root, so a test skips
//   when mounted() is false. fillUp() fills it to the last byte.

#include <csignal>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace echoforge::test {

// A file-size limit for this process, lifted when it goes out of scope.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        getrlimit(RLIMIT_FSIZE, &m_old);
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN);   // fail the write with EFBIG instead of dying
        rlimit limit{bytes, m_old.rlim_max};
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit() {
        setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_previousHandler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit m_old{};
    void (*m_previousHandler)(int) = nullptr;
};

// A tmpfs of `size` (mount's notation, "1m") on a temporary folder, detached when it goes out of
// scope. Not mounted (mounted() false) without root or where a container forbids it.
class SmallTmpfs {
public:
    explicit SmallTmpfs(const char* size) {
        const QByteArray options = QByteArray("size=") + size;
        m_mounted = geteuid() == 0 && m_dir.isValid() &&
                    mount("tmpfs", QFile::encodeName(m_dir.path()).constData(), "tmpfs", 0, options.constData()) == 0;
    }
    ~SmallTmpfs() {
        if (m_mounted)
            umount2(QFile::encodeName(m_dir.path()).constData(), MNT_DETACH);
    }
    SmallTmpfs(const SmallTmpfs&) = delete;
    SmallTmpfs& operator=(const SmallTmpfs&) = delete;

    bool mounted() const { return m_mounted; }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString& name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    bool m_mounted = false;
};

// Fills the file system holding `folder` with one file until a write fails; returns its path.
inline QString fillUp(const QString& folder) {
    const QString path = QDir(folder).filePath("filler");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    const QByteArray block(4096, 'x');
    while (f.write(block) == block.size() && f.flush()) {
    }
    return path;
}

} // namespace echoforge::test
