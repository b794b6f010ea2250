#include "core/common/cpu_features.h"

#include <sys/resource.h>

#include <QFile>
#include <QThread>

namespace echoforge {
namespace {

// /proc files report size 0, so QFile::atEnd() is true at once: read them whole.
QStringList procLines(const char* path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromLatin1(f.readAll()).split('\n');
}

QString cpuModelName() {
    for (const QString& line : procLines("/proc/cpuinfo"))
        if (line.startsWith("model name"))
            return line.section(':', 1).trimmed();
    return QStringLiteral("unknown");
}

} // namespace

const CpuFeatures& CpuFeatures::detect() {
    static const CpuFeatures features = [] {
        CpuFeatures c;
        c.model = cpuModelName();
        c.logicalCores = std::max(1, QThread::idealThreadCount());
        __builtin_cpu_init();
        c.avx2 = __builtin_cpu_supports("avx2");
        c.fma = __builtin_cpu_supports("fma");
        c.avx512f = __builtin_cpu_supports("avx512f");
        c.avx512bw = __builtin_cpu_supports("avx512bw");
        c.avx512vnni = __builtin_cpu_supports("avx512vnni");
        // GCC 12's __builtin_cpu_supports knows no avx512bf16; /proc/cpuinfo does.
        const QString cpuinfo = procLines("/proc/cpuinfo").join('\n');
        c.avx512bf16 = cpuinfo.contains(" avx512_bf16");
        c.avxvnni = cpuinfo.contains(" avx_vnni");
        return c;
    }();
    return features;
}

QString CpuFeatures::simdLevel() const {
    if (avx512bf16) return QStringLiteral("avx512_bf16");
    if (avx512f) return QStringLiteral("avx512");
    if (avx2) return QStringLiteral("avx2");
    if (__builtin_cpu_supports("sse4.2")) return QStringLiteral("sse4.2");
    return QStringLiteral("baseline");
}

QStringList CpuFeatures::flagNames() const {
    QStringList names;
    if (avx2) names << "avx2";
    if (fma) names << "fma";
    if (avx512f) names << "avx512f";
    if (avx512bw) names << "avx512bw";
    if (avx512vnni) names << "avx512_vnni";
    if (avx512bf16) names << "avx512_bf16";
    if (avxvnni) names << "avx_vnni";
    return names;
}

MemoryInfo MemoryInfo::read() {
    MemoryInfo m;
    for (const QString& line : procLines("/proc/meminfo")) {
        const qint64 kib = line.section(':', 1).trimmed().section(' ', 0, 0).toLongLong();
        if (line.startsWith("MemTotal:")) m.totalBytes = kib * 1024;
        else if (line.startsWith("MemAvailable:")) m.availableBytes = kib * 1024;
    }
    return m;
}

qint64 peakResidentBytes() {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    return static_cast<qint64>(usage.ru_maxrss) * 1024; // Linux reports KiB
}

} // namespace echoforge
