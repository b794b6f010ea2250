#include "core/model/precision.h"

#include "core/common/cpu_features.h"
#include "core/common/error.h"

namespace echoforge {

QString precisionName(WeightPrecision precision) {
    switch (precision) {
    case WeightPrecision::BFloat16: return QStringLiteral("bf16");
    case WeightPrecision::Int8: return QStringLiteral("int8");
    case WeightPrecision::Q4: return QStringLiteral("q4");
    case WeightPrecision::Float32: break;
    }
    return QStringLiteral("fp32");
}

WeightPrecision automaticPrecision(const CpuFeatures& cpu, bool onGpu) {
    if (onGpu)
        return WeightPrecision::BFloat16;
    const bool vectorised = (cpu.avx2 && cpu.fma) || (cpu.avx512f && cpu.avx512bw);   // see int8_kernels.cpp
    return vectorised ? WeightPrecision::Int8 : WeightPrecision::Float32;
}

WeightPrecision choosePrecision(const QString& setting, bool onGpu) {
    if (setting == QLatin1String("fp32"))
        return WeightPrecision::Float32;
    if (setting == QLatin1String("bf16"))
        return WeightPrecision::BFloat16;
    if (setting == QLatin1String("int8"))
        return WeightPrecision::Int8;
    if (setting == QLatin1String("q4"))
        return WeightPrecision::Q4;
    if (setting == QLatin1String("auto") || setting.isEmpty())
        return automaticPrecision(CpuFeatures::detect(), onGpu);
    throw Error(ErrorKind::InvalidInput, QStringLiteral("Unknown precision \"%1\": choose auto, fp32, bf16, int8 or q4.").arg(setting));
}

} // namespace echoforge
