#include "core/model/format_quality.h"

#include <cmath>

#include "core/common/error.h"
#include "core/model/csm.h"

namespace echoforge {

namespace {

struct Tally {
    FormatQuality q;
    double kl = 0, agreeing = 0, agreeing0 = 0, logitError = 0, logitSize = 0;
    int64_t logits = 0;

    // One codebook's logits of both; returns the reference's greedy code.
    int64_t compare(const torch::Tensor& reference, const torch::Tensor& candidate, bool codebook0) {
        const int64_t greedy = reference.argmax().item<int64_t>();
        const bool same = candidate.argmax().item<int64_t>() == greedy;
        agreeing += same;
        if (codebook0) {
            agreeing0 += same;
            const auto logP = torch::log_softmax(reference.to(torch::kFloat64), -1);
            const auto logQ = torch::log_softmax(candidate.to(torch::kFloat64), -1);
            kl += (logP.exp() * (logP - logQ)).sum().item<double>();
        }
        const auto error = (reference - candidate).abs();
        logitError += error.sum().item<double>();
        logitSize += reference.abs().sum().item<double>();
        logits += error.numel();
        q.maxAbsLogitError = std::max(q.maxAbsLogitError, error.max().item<double>());
        ++q.codes;
        return greedy;
    }

    FormatQuality finish() {
        q.codeAgreement = agreeing / std::max(1, q.codes);
        q.codebook0Agreement = agreeing0 / std::max(1, q.frames);
        q.meanKl0 = kl / std::max(1, q.frames);
        q.meanAbsLogitError = logitError / double(std::max<int64_t>(1, logits));
        q.meanAbsLogit = logitSize / double(std::max<int64_t>(1, logits));
        return q;
    }
};

FormatQuality compareNetworks(CsmNetwork& reference, CsmNetwork& candidate, const std::vector<CsmPrompt>& prompts, int frames) {
    c10::InferenceMode inference;
    Tally tally;
    tally.q.reference = reference.precision();
    tally.q.candidate = candidate.precision();
    const int64_t k = reference.config().audioNumCodebooks, width = reference.config().frameWidth();
    for (const auto& prompt : prompts) {
        const int64_t promptFrames = int64_t(prompt.tokens.size()) / width;
        std::vector<std::uint8_t> maskBytes(prompt.mask.begin(), prompt.mask.end());
        auto tokens = torch::tensor(prompt.tokens, torch::kInt64).view({promptFrames, width});
        auto mask = torch::tensor(at::ArrayRef<std::uint8_t>(maskBytes), torch::kUInt8).view({promptFrames, width}).ne(0);
        reference.resetCaches();
        candidate.resetCaches();
        int64_t position = 0;
        for (int f = 0; f < frames; ++f) {
            const auto hr = reference.backbone().forward(reference.embedFrames(tokens, mask), position)[-1];
            const auto hc = candidate.backbone().forward(candidate.embedFrames(tokens, mask), position)[-1];
            position += tokens.size(0);
            ++tally.q.frames;
            const int64_t code0 = tally.compare(reference.codebook0Logits(hr), candidate.codebook0Logits(hc), true);
            std::vector<torch::Tensor> referenceLogits;
            const auto codes = reference.decodeCodebooks(hr, code0, [&](int, const torch::Tensor& logits) {
                referenceLogits.push_back(logits.clone());
                return logits.argmax().item<int64_t>();
            });
            candidate.decodeCodebooks(hc, code0, [&](int i, const torch::Tensor& logits) {   // teacher-forced
                tally.compare(referenceLogits[std::size_t(i - 1)], logits, false);
                return codes[std::size_t(i - 1)];
            });
            // generator.py: the frame comes back as [codes, 0] with mask [1…1, 0].
            tokens = torch::zeros({1, k + 1}, torch::kInt64);
            tokens[0][0] = code0;
            for (int64_t c = 1; c < k; ++c)
                tokens[0][c] = codes[std::size_t(c - 1)];
            mask = torch::ones({1, k + 1}, torch::kBool);
            mask[0][k] = false;
        }
    }
    return tally.finish();
}

} // namespace

FormatQuality compareFormats(const QString& configPath, const QString& weightsPath, WeightPrecision reference,
                             WeightPrecision candidate, const std::vector<CsmPrompt>& prompts, int frames) {
    c10::InferenceMode inference;
    const CsmConfig config = configPath.isEmpty() ? CsmConfig::csm1b() : CsmConfig::fromJsonFile(configPath);
    WeightSet referenceWeights(SafetensorsFile::open(weightsPath));
    CsmNetwork referenceNet(config, referenceWeights, reference);
    WeightSet candidateWeights(SafetensorsFile::open(weightsPath));
    CsmNetwork candidateNet(config, candidateWeights, candidate);
    return compareNetworks(referenceNet, candidateNet, prompts, frames);
}

FormatQuality compareFormatsOnRandomWeights(const CsmConfig& config, std::uint64_t seed, WeightPrecision reference,
                                            WeightPrecision candidate, const std::vector<CsmPrompt>& prompts, int frames) {
    c10::InferenceMode inference;
    WeightSet referenceWeights = WeightSet::random(torch::kBFloat16, seed);
    CsmNetwork referenceNet(config, referenceWeights, reference);
    WeightSet candidateWeights = WeightSet::random(torch::kBFloat16, seed);
    CsmNetwork candidateNet(config, candidateWeights, candidate);
    return compareNetworks(referenceNet, candidateNet, prompts, frames);
}

} // namespace echoforge
