#include "core/model/precision.h"

#include "core/common/cpu_features.h"
#include "core/common/error.h"

namespace echoforge {

QString precisionName(WeightPrecision precision) {
    return precision == WeightPrecision::BFloat16 ? QStringLiteral("bf16") : QStringLiteral("fp32");
}

WeightPrecision choosePrecision(const QString& setting) {
    if (setting == QLatin1String("fp32"))
        return WeightPrecision::Float32;
    if (setting == QLatin1String("bf16"))
        return WeightPrecision::BFloat16;
    if (setting == QLatin1String("auto") || setting.isEmpty()) {
        const auto& cpu = CpuFeatures::detect();
        const bool vectorised = (cpu.avx2 && cpu.fma) || (cpu.avx512f && cpu.avx512bw);   // see row_kernels.cpp
        return vectorised ? WeightPrecision::BFloat16 : WeightPrecision::Float32;
    }
    throw Error(QStringLiteral("Unknown precision \"%1\": choose auto, fp32 or bf16.").arg(setting));
}

} // namespace echoforge
