#pragma once
// Runs the Mimi part of a golden directory (tests/data/golden/README.md) against our port:
// decode, streaming decode, encode and streaming encode, the published-names weights, and every
// intermediate tensor when DIR/mimi_intermediates.safetensors is present. Torch-free header:
// `echoforge-cli conformance` and the ctest golden tests call the same code.

#include <vector>

#include <QString>

#include "core/model/conformance.h"

namespace echoforge {

// Needs DIR/mimi_config.json, mimi_model.safetensors and mimi_cases.safetensors; checks
// mimi_model_published_names.safetensors and mimi_intermediates.safetensors when present.
// A part that cannot run is a failed case saying why; a directory with none of the three files
// has no Mimi part and gives no case.
std::vector<ConformanceCase> runMimiConformance(const QString& dir);

} // namespace echoforge
