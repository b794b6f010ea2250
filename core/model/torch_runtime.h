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

// Where the model computes. CUDA needs a libtorch built with it (Debian's is CPU-only) and a GPU.
enum class ComputeDevice { Cpu, Cuda };

QString deviceName(ComputeDevice device);   // "cpu" | "cuda"
// The setting "auto", "cpu" or "cuda": auto is CUDA where this libtorch sees a GPU, else the CPU.
// Throws echoforge::Error for "cuda" without one, and for any other word.
ComputeDevice chooseDevice(const QString& setting);

} // namespace echoforge
