#include "core/model/torch_runtime.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <QFileInfo>
#include <QThread>

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

} // namespace echoforge
