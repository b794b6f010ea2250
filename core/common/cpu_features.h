#pragma once
// What this CPU can do, read at run time: kernels and weight formats are chosen from it.

#include <QString>
#include <QStringList>

namespace echoforge {

struct CpuFeatures {
    QString model;          // "AMD EPYC 9R14", from /proc/cpuinfo
    int logicalCores = 1;
    bool avx2 = false;
    bool fma = false;
    bool avx512f = false;
    bool avx512bw = false;
    bool avx512vnni = false;
    bool avx512bf16 = false;
    bool avxvnni = false;   // the 256-bit VEX form of vpdpbusd (Alder Lake, Zen 5)

    // The best SIMD level by name: "avx512_bf16", "avx512", "avx2", "sse4.2" or "baseline".
    QString simdLevel() const;
    // The flags above that are present, by their /proc/cpuinfo names.
    QStringList flagNames() const;

    static const CpuFeatures& detect();
};

struct MemoryInfo {
    qint64 totalBytes = 0;
    qint64 availableBytes = 0;
    static MemoryInfo read();
};

// Peak resident set size of this process, in bytes (0 where unknown).
qint64 peakResidentBytes();

} // namespace echoforge
