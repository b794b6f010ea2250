#pragma once
// Which number format the model's weights are kept in. Activations are always fp32.

#include <QString>

namespace echoforge {

enum class WeightPrecision {
    Float32,    // the reference path: exact to the golden set
    BFloat16,   // half the bytes per frame: the format the reference runs csm-1b in
    Int8,       // matrices as int8 with a scale per 32 weights (embeddings and norms in bf16):
                // a quarter of fp32's bytes, the fastest on a CPU, not exact to the reference
};

QString precisionName(WeightPrecision precision);   // "fp32" | "bf16" | "int8"

// The setting "fp32", "bf16", "int8" or "auto": auto is bf16 where the hand-written bf16 kernels are
// vectorised (AVX2 with FMA, or AVX-512: they then stream weights as fast as fp32's, so a frame
// reads half the bytes), and fp32 on older CPUs, where only the scalar bf16 loop runs.
// Throws echoforge::Error for any other word.
WeightPrecision choosePrecision(const QString& setting);

} // namespace echoforge
