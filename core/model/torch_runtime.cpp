#include "core/model/torch_runtime.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <QFileInfo>
#include <QThread>

#include "core/common/error.h"

namespace echoforge {

TorchRuntimeInfo torchRuntimeInfo() {
    TorchRuntimeInfo info;
    info.version = QString::fromLatin1(TORCH_VERSION);
    info.threads = at::get_num_threads();
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDevices = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    const std::string config = at::show_config();
    const auto pos = config.find("BLAS_INFO=");
    if (pos != std::string::npos)
        info.blas = QString::fromStdString(config.substr(pos + 10, config.find_first_of(",\n", pos) - pos - 10));
    // Debian's libtorch calls the system BLAS through the alternatives system, so name the
    // library that is really loaded (openblas, or the 25x slower reference BLAS).
    const QFileInfo blasLink("/etc/alternatives/libblas.so.3-x86_64-linux-gnu");
    if (blasLink.exists())
        info.blas += QStringLiteral(" (%1)").arg(blasLink.symLinkTarget());
    return info;
}

void configureTorchThreads(int threads) {
    const int n = threads > 0 ? threads : std::max(1, QThread::idealThreadCount());
    at::set_num_threads(n);
}

QString deviceName(ComputeDevice device) { return device == ComputeDevice::Cuda ? QStringLiteral("cuda") : QStringLiteral("cpu"); }

ComputeDevice chooseDevice(const QString& setting) {
    const bool cuda = torch::cuda::is_available();
    if (setting == QLatin1String("cpu"))
        return ComputeDevice::Cpu;
    if (setting == QLatin1String("auto") || setting.isEmpty())
        return cuda ? ComputeDevice::Cuda : ComputeDevice::Cpu;
    if (setting == QLatin1String("cuda")) {
        if (!cuda)
            throw Error("The device is set to CUDA, but this build's libtorch sees no CUDA GPU (Debian's libtorch is built for the CPU "
                        "only). Set the device to Automatic or CPU.");
        return ComputeDevice::Cuda;
    }
    throw Error(QStringLiteral("Unknown device \"%1\": choose auto, cpu or cuda.").arg(setting));
}

} // namespace echoforge
