#pragma once
// Temperature + top-k sampling as models.py sample_topk does it, from a seeded generator:
// the same seed and the same logits give the same codes. Torch TUs only.

#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace echoforge {

class TopKSampler {
public:
    explicit TopKSampler(std::uint64_t seed);

    // logits [vocab] → one index. Keeps the top `topK` logits (ties with the k-th kept, as the
    // reference's `logits < kth` test does), softmax, then the exponential trick
    // argmax(p / q), q ~ Exp(1), which is one draw from p.
    int64_t sample(const torch::Tensor& logits, double temperature, int topK);
    // The same on a float array, without torch operations (the decoder's loop). A logit that is
    // NaN or infinite throws a sentence instead of drawing from a broken distribution.
    int64_t sample(const float* logits, int64_t vocab, double temperature, int topK);

private:
    at::Generator generator_;
    std::vector<float> scaled_, order_;   // working copies, kept between draws
};

} // namespace echoforge
