#pragma once
// Optional record of Mimi's intermediate tensors, under the golden set's names
// (tests/data/golden/INTERMEDIATES.md), to find which module differs from the reference.

#include <map>
#include <string>

#include <torch/torch.h>

namespace echoforge::mimi {

struct MimiTrace {
    std::string prefix;                              // "decode.", "encode.", ...
    std::map<std::string, torch::Tensor> tensors;    // prefix + name → a copy of the value
};

// Records `value` under trace->prefix + name; does nothing without a trace.
inline void traceRecord(MimiTrace* trace, const std::string& name, const torch::Tensor& value) {
    if (trace)
        trace->tensors[trace->prefix + name] = value.detach().clone();
}

} // namespace echoforge::mimi
