#pragma once
// How far a weight format moves CSM from a reference format, on the model at hand: both run the
// same prompts, the candidate teacher-forced with the reference's greedy codes, so every frame
// compares like with like. `echoforge-cli quality` prints it for users with the real weights;
// docs/performance.md holds the figures on the golden set and on full-size random weights.
// Torch-free header.

#include <vector>

#include <QString>

#include "core/model/csm_model.h"

namespace echoforge {

struct FormatQuality {
    WeightPrecision reference = WeightPrecision::Float32;
    WeightPrecision candidate = WeightPrecision::Float32;
    int frames = 0;                 // frames compared, over all prompts
    int codes = 0;                  // codes compared (frames × codebooks)
    double codeAgreement = 0;       // fraction of greedy codes equal, all codebooks
    double codebook0Agreement = 0;  // the same for codebook 0 alone (the backbone's)
    double meanKl0 = 0;             // mean KL(reference ‖ candidate) of codebook 0's distributions, nats
    double meanAbsLogitError = 0;   // mean |Δ logit| over every codebook's logits
    double meanAbsLogit = 0;        // mean |logit| of the reference, the scale of the error above
    double maxAbsLogitError = 0;
};

// Loads the checkpoint twice (in `reference` and `candidate`), runs each prompt for `frames`
// frames greedily in the reference, and compares. Throws echoforge::Error if it cannot load.
FormatQuality compareFormats(const QString& configPath, const QString& weightsPath, WeightPrecision reference,
                             WeightPrecision candidate, const std::vector<CsmPrompt>& prompts, int frames);
// The same over two networks of one configuration made with random weights from one seed
// (full-size figures without the real checkpoint).
FormatQuality compareFormatsOnRandomWeights(const CsmConfig& config, std::uint64_t seed, WeightPrecision reference,
                                            WeightPrecision candidate, const std::vector<CsmPrompt>& prompts, int frames);

} // namespace echoforge
