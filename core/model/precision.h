#pragma once
// Which number format the model's weights are kept in. Activations are always fp32.

#include <QString>

namespace echoforge {

enum class WeightPrecision {
    Float32,    // the reference path: exact to the golden set
    BFloat16,   // half the bytes per frame: the format the reference runs csm-1b in
    Int8,       // matrices as int8 with a scale per 32 weights (embeddings and norms in bf16):
                // a quarter of fp32's bytes, not exact to the reference
    Q4,         // matrices as 4-bit integers with a bf16 scale per 32 weights (4.5 bits a weight):
                // an eighth of fp32's bytes, the fastest on a CPU, the furthest from the reference
};

QString precisionName(WeightPrecision precision);   // "fp32" | "bf16" | "int8" | "q4"

// The setting "fp32", "bf16", "int8", "q4" or "auto": auto is bf16 where the hand-written bf16 kernels are
// vectorised (AVX2 with FMA, or AVX-512: they then stream weights as fast as fp32's, so a frame
// reads half the bytes), and fp32 on older CPUs, where only the scalar bf16 loop runs.
// Throws echoforge::Error for any other word.
WeightPrecision choosePrecision(const QString& setting);

} // namespace echoforge
