#pragma once
// Mimi computes in float32 whatever dtype a checkpoint stores (the published file is F32;
// a BF16 copy is widened once at load).

#include <initializer_list>
#include <string>

#include <torch/torch.h>

#include "core/model/tensor_loading.h"

namespace echoforge::mimi {

inline torch::Tensor takeFloat(WeightSet& weights, const std::string& name, c10::IntArrayRef shape) {
    return weights.take(name, shape).to(torch::kFloat).contiguous();
}

inline torch::Tensor takeAnyFloat(WeightSet& weights, std::initializer_list<std::string> spellings,
                                  c10::IntArrayRef shape) {
    return weights.takeAny(spellings, shape).to(torch::kFloat).contiguous();
}

} // namespace echoforge::mimi
