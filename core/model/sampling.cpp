#include "core/model/sampling.h"

#include <algorithm>
#include <cmath>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/DistributionsHelper.h>

#include "core/common/error.h"

namespace echoforge {

TopKSampler::TopKSampler(std::uint64_t seed) : generator_(at::detail::createCPUGenerator(seed)) {}

int64_t TopKSampler::sample(const torch::Tensor& logits, double temperature, int topK) {
    // On the CPU whatever device made the logits: one seeded generator draws the same codes.
    const auto values = logits.to(torch::kCPU, torch::kFloat32).contiguous();
    return sample(values.data_ptr<float>(), values.numel(), temperature, topK);
}

int64_t TopKSampler::sample(const float* logits, int64_t vocab, double temperature, int topK) {
    if (!(temperature > 0))
        throw Error(QStringLiteral("The sampling temperature must be above 0, not %1.").arg(temperature));
    if (topK < 1)
        throw Error(QStringLiteral("Top-k sampling needs k of at least 1, not %1.").arg(topK));
    if (vocab < 1)
        throw Error("There are no logits to sample from.");
    scaled_.resize(std::size_t(vocab));
    for (int64_t i = 0; i < vocab; ++i) {
        if (!std::isfinite(logits[i]))
            throw Error(QStringLiteral("The model produced a non-finite score (%1) for code %2; the weights or the input are damaged.")
                            .arg(double(logits[i])).arg(i));
        scaled_[std::size_t(i)] = float(logits[i] / temperature);
    }
    // models.py sample_topk: logits below the k-th largest are dropped (ties with it are kept).
    const int64_t k = std::min<int64_t>(topK, vocab);
    order_.assign(scaled_.begin(), scaled_.end());
    std::nth_element(order_.begin(), order_.begin() + (k - 1), order_.end(), std::greater<float>());
    const float kth = order_[std::size_t(k - 1)];
    const float largest = *std::max_element(scaled_.begin(), scaled_.end());
    // softmax over the kept ones, then one draw by the exponential trick argmax(p / q), q ~ Exp(1)
    // (models.py _multinomial_sample_one_no_sync), a draw from the seeded generator per kept code.
    double total = 0;
    for (float v : scaled_)
        if (v >= kth)
            total += std::exp(double(v) - largest);
    auto* generator = generator_.get<at::CPUGeneratorImpl>();
    std::lock_guard<std::mutex> lock(generator_.mutex());
    at::exponential_distribution<double> exponential(1.0);
    int64_t best = 0;
    double bestScore = -1;
    for (int64_t i = 0; i < vocab; ++i) {
        if (scaled_[std::size_t(i)] < kth)
            continue;
        const double p = std::exp(double(scaled_[std::size_t(i)]) - largest) / total;
        const double score = p / std::max(exponential(generator), 1e-300);
        if (score > bestScore) {
            bestScore = score;
            best = i;
        }
    }
    return best;
}

} // namespace echoforge
