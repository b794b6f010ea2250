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

struct CpuFeatures;

// "Automatic": the fastest format whose measured quality is close to bf16's (docs/performance.md:
// on the golden set and on full-size random weights, int8 keeps every codebook-0 code of fp32 and
// a codebook-0 KL below 1e-4 nats; 4-bit changes two codes in five and is not close). So int8
// where its kernels are vectorised (AVX2 with FMA, or AVX-512: a frame reads a quarter of fp32's
// bytes and runs faster than bf16, 229 against 342 ms even with AVX2 kernels), fp32 on older
// CPUs, where only scalar loops run; on a GPU, bf16, since int8 and 4-bit are CPU formats there
// (torch's linear runs them as bf16).
WeightPrecision automaticPrecision(const CpuFeatures& cpu, bool onGpu);

// The setting "fp32", "bf16", "int8", "q4" or "auto" (automaticPrecision on this CPU). Throws
// echoforge::Error (InvalidInput) for any other word.
WeightPrecision choosePrecision(const QString& setting, bool onGpu = false);

} // namespace echoforge
