#pragma once
// Runs the cases of a golden directory (tests/data/golden/README.md) against our CSM port:
// every output and intermediate the set holds, compared within its tolerance. Torch-free:
// echoforge-cli conformance and the ctest golden tests call the same code.

#include <vector>

#include <QString>

#include "core/model/precision.h"
#include "core/model/torch_runtime.h"

namespace echoforge {

struct ConformanceCase {
    QString file;        // "csm_cases", "csm_intermediates"
    QString name;        // the tensor compared, "greedy_frames"
    bool passed = false;
    double maxAbsErr = 0;
    QString why;         // for a failure: what differs, where, both values
};

// Floats within this of the reference pass (README "Tolerances"); integers must be identical.
inline constexpr double kGoldenTolerance = 1e-4;

// Needs DIR/csm_config.json, csm_model.safetensors, csm_cases.safetensors; runs
// csm_intermediates.safetensors too when present. A part that cannot run is a failed case.
std::vector<ConformanceCase> runCsmConformance(const QString& dir, ComputeDevice device = ComputeDevice::Cpu);

// The same with the weights in `precision` and floats compared within `tolerance` (integers, the
// greedy codes, must still be identical). Shapes must equal the reference's, less its batch
// dimension of 1.
std::vector<ConformanceCase> runCsmConformance(const QString& dir, ComputeDevice device, WeightPrecision precision,
                                               double tolerance);

// "PASS csm_cases:greedy_frames max_abs_err=0" or "FAIL …  (why)".
QString conformanceLine(const ConformanceCase& c);

} // namespace echoforge
