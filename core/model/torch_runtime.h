#pragma once
// libtorch's run-time facts and set-up, behind a header without torch types.

#include <QString>

namespace echoforge {

struct TorchRuntimeInfo {
    QString version;         // "1.13.1"
    int threads = 1;         // intra-op threads in use
    bool cudaAvailable = false;
    int cudaDevices = 0;
    QString blas;            // what torch reports for its BLAS, when it says
};

TorchRuntimeInfo torchRuntimeInfo();

// Sets torch's intra-op thread count; 0 means every core. Debian's libtorch starts with one.
void configureTorchThreads(int threads);

} // namespace echoforge
