#pragma once
// Mimi's hyperparameters (kyutai-labs/moshi models/loaders.py `_mimi_config`), as plain structs.
// The real model's values are the defaults; a JSON file in the same keys (the golden set's
// `mimi_config.json`) describes test models. No torch types here.

#include <string>
#include <vector>

#include <QString>

namespace echoforge::mimi {

// moshi modules/seanet.py SEANetEncoder/SEANetDecoder arguments.
struct SeanetConfig {
    int channels = 1;             // audio channels
    int dimension = 512;          // latent width at the encoder frame rate
    int nFilters = 64;            // width of the first (encoder) / last (decoder) convolution
    int nResidualLayers = 1;      // residual blocks per stage
    std::vector<int> ratios{8, 6, 5, 4};  // decoder order; the encoder uses them reversed
    int kernelSize = 7;           // first convolution
    int residualKernelSize = 3;   // first convolution of a residual block
    int lastKernelSize = 3;       // last convolution
    int dilationBase = 2;         // residual block j dilates by dilationBase^j
    int compress = 2;             // residual blocks narrow to channels / compress

    int hopLength() const;        // product of ratios: samples per encoder step
};

// moshi modules/transformer.py StreamingTransformer arguments (causal, RoPE, layer scale, LayerNorm).
struct TransformerConfig {
    int dModel = 512;
    int numHeads = 8;
    int numLayers = 8;
    int dimFeedforward = 2048;
    int context = 250;            // steps a query may look back, itself included
    double maxPeriod = 10000.0;   // RoPE base
    double normEps = 1e-5;        // LayerNorm epsilon (torch default)

    int headDim() const { return dModel / numHeads; }
};

// moshi quantization/vq.py SplitResidualVectorQuantizer arguments.
struct QuantizerConfig {
    int dimension = 256;          // codebook vector width
    int numCodebooks = 32;        // n_q: semantic + acoustic
    int semanticCodebooks = 1;    // n_q_semantic, held by rvq_first
    int bins = 2048;              // entries per codebook
    int inputDimension = 512;
    int outputDimension = 512;
    double usageEpsilon = 1e-5;   // core_vq.py EuclideanCodebook: cluster_usage.clamp(min=epsilon)
};

struct MimiConfig {
    int sampleRate = 24000;
    int channels = 1;
    double frameRate = 12.5;      // code frames per second
    SeanetConfig seanet;
    TransformerConfig transformer;
    QuantizerConfig quantizer;

    // The published Mimi (tests/data/golden/mimi_real_config.json).
    static MimiConfig real();
    // Reads the golden `mimi_config.json` form; keys it lacks keep the real model's values.
    static MimiConfig fromJsonFile(const QString& path);
    static MimiConfig fromJsonText(const std::string& text, const QString& sourceForErrors);

    double encoderFrameRate() const { return double(sampleRate) / seanet.hopLength(); }
    // Encoder steps per code frame: the stride of the down/up-sampling convolutions.
    int resampleStride() const;
    int samplesPerFrame() const { return seanet.hopLength() * resampleStride(); }

    // Throws echoforge::Error with a sentence naming `source` and the inconsistent field.
    void validate(const QString& source) const;
};

} // namespace echoforge::mimi
