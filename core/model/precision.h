#pragma once
// Which number format the model's weights are kept in. Activations are always fp32.

#include <QString>

namespace echoforge {

enum class WeightPrecision {
    Float32,    // the reference path: exact to the golden set
    BFloat16,   // half the bytes per frame; fast only where the CPU has AVX-512 BF16
};

QString precisionName(WeightPrecision precision);   // "fp32" | "bf16"

// The setting "fp32", "bf16" or "auto": auto is bf16 on CPUs with AVX-512 BF16 (torch's bf16
// linear reads ~28 GB/s there) and fp32 elsewhere (bf16 through torch manages ~1.5 GB/s on
// AVX2-only CPUs). Throws echoforge::Error for any other word.
WeightPrecision choosePrecision(const QString& setting);

} // namespace echoforge
