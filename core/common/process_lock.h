#pragma once
// A lock one process holds on a file for as long as it lives: flock(2) on that file.
// The kernel drops it when its holder ends, however it ends (a crash, SIGKILL, a power cut), so
// no lock is ever stale and nothing has to guess whether the process a file names still runs.
//
// QLockFile, used before, does guess, and two of its moments were found by tst_crash_torture:
// a kill between creating its file and writing the holder's pid leaves a lock that no one may
// take over (with no stale time), and a kill inside its own take-over (its ".rmlock") left the
// next process refused for 30 s, naming a process that no longer existed.
//
//   ProcessLock::Holder other;
//   auto lock = ProcessLock::tryTake(folder + "/engine.lock", &other);
//   if (!lock) refuse("process %1 (%2) has it", other.pid, other.program);
//
// The holder's pid and program name are written into the file for that sentence only; the lock
// itself is the flock. Within one process, two locks of the same file exclude each other too
// (each opens the file anew). The holder removes the file as it lets go, while still holding it;
// a taker that locked a file just removed sees that its file is no longer at the path, and
// starts again, so two processes never hold "the" lock on two files of one name. A killed
// holder leaves its file, which the next taker simply locks. On a file system with no locks at
// all (some FUSE and network mounts) the lock is taken unenforced, with a warning in the log.

#include <memory>

#include <QString>

namespace echoforge {

class ProcessLock {
public:
    struct Holder {
        qint64 pid = 0;    // 0: the file did not say (its holder may be writing it still)
        QString program;   // the holder's application name, as it wrote it
    };

    // The lock on `file`, made if missing; null when another holds it, and then *holder (if
    // given) says who. Throws Error (Io) when the file cannot be made, opened or locked at all.
    static std::unique_ptr<ProcessLock> tryTake(const QString& file, Holder* holder = nullptr);

    ~ProcessLock();   // removes the file and releases the lock
    ProcessLock(const ProcessLock&) = delete;
    ProcessLock& operator=(const ProcessLock&) = delete;

private:
    ProcessLock(QString file, int descriptor) : m_file(std::move(file)), m_descriptor(descriptor) {}

    QString m_file;     // removed on release, if it is still ours
    int m_descriptor;   // open for the lock's whole life: closing it is what releases the flock
};

} // namespace echoforge
