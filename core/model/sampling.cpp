#include "core/model/sampling.h"

#include <ATen/CPUGeneratorImpl.h>

#include "core/common/error.h"

namespace echoforge {

TopKSampler::TopKSampler(std::uint64_t seed) : generator_(at::detail::createCPUGenerator(seed)) {}

int64_t TopKSampler::sample(const torch::Tensor& logits, double temperature, int topK) {
    if (!(temperature > 0))
        throw Error(QStringLiteral("The sampling temperature must be above 0, not %1.").arg(temperature));
    if (topK < 1)
        throw Error(QStringLiteral("Top-k sampling needs k of at least 1, not %1.").arg(topK));
    // On the CPU whatever device made the logits: one seeded generator draws the same codes.
    const auto scaled = logits.to(torch::kCPU, torch::kFloat32) / temperature;       // [vocab]
    const int64_t k = std::min<int64_t>(topK, scaled.size(-1));
    const auto kth = std::get<0>(torch::topk(scaled, k)).select(-1, k - 1);
    const auto kept = scaled.masked_fill(scaled < kth, -std::numeric_limits<float>::infinity());
    // models.py: log_softmax, then softmax of that (the same distribution, as the reference computes it)
    const auto probs = torch::softmax(torch::log_softmax(kept, -1), -1);
    const auto q = torch::empty_like(probs).exponential_(1, generator_);
    return torch::argmax(probs / q, -1).item<int64_t>();
}

} // namespace echoforge
