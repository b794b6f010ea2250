#pragma once
// What every fuzz target checks: a parser given any bytes either accepts them or throws
// echoforge::Error with a sentence. Another exception type, an empty sentence, a crash, a leak or
// a hang is a finding (the sanitizers and libFuzzer report the last three).
//
// The same sources are built twice: with clang's libFuzzer under ASan+UBSan (-DECHOFORGE_FUZZ=ON,
// scripts/fuzz.sh), and with the project's compiler against replay_main.cpp, which runs every
// file of the target's corpus (the seeds and the regressions of past findings) as a ctest.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <unistd.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

#include "core/common/error.h"

namespace echoforge::fuzz {

// Runs `parse`; a refusal must be an echoforge::Error whose sentence names `mustMention` (the
// file the user would look at), anything else aborts so that libFuzzer records the input.
template <class Parse>
void expectAcceptedOrRefused(Parse&& parse, const QString& mustMention) {
    try {
        parse();
    } catch (const echoforge::Error& e) {
        const QString sentence = e.sentence();
        if (sentence.trimmed().isEmpty() || (!mustMention.isEmpty() && !sentence.contains(mustMention))) {
            std::fprintf(stderr, "refusal without a usable sentence: '%s'\n", e.what());
            std::abort();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "escaped as a foreign exception: %s\n", e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "escaped as an unknown exception\n");
        std::abort();
    }
}

// A per-process scratch folder in /dev/shm when it exists (the parsers that take a path get one
// without touching the disk on every one of millions of runs).
inline QString scratchDir() {
    static const QString dir = [] {
        const QString base = QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
        const QString d = QStringLiteral("%1/echoforge-fuzz-%2").arg(base).arg(qint64(::getpid()));
        QDir().mkpath(d);
        return d;
    }();
    return dir;
}

// Writes `data` to `name` in the scratch folder and returns the path.
inline QString writeScratchFile(const QString& name, const std::uint8_t* data, std::size_t size) {
    const QString path = scratchDir() + QLatin1Char('/') + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write(reinterpret_cast<const char*>(data), qint64(size)) != qint64(size)) {
        std::fprintf(stderr, "cannot write the scratch file %s\n", qPrintable(path));
        std::abort();
    }
    return path;
}

} // namespace echoforge::fuzz
