// echoforge-bench: benchmarks that print figures. Never run by ctest.

#include <cstdio>

#include <QCoreApplication>

#include "app/bench/bench.h"
#include "core/common/cpu_features.h"
#include "core/common/error.h"
#include "core/model/torch_runtime.h"

namespace echoforge::bench {

std::vector<Suite>& suites() {
    static std::vector<Suite> all;
    return all;
}

void printMachine() {
    const CpuFeatures& cpu = CpuFeatures::detect();
    const TorchRuntimeInfo torch = torchRuntimeInfo();
    std::printf("machine: %s, %d logical cores, simd %s, flags [%s]\n", qPrintable(cpu.model), cpu.logicalCores,
                qPrintable(cpu.simdLevel()), qPrintable(cpu.flagNames().join(' ')));
    std::printf("torch: %s, %d threads, blas %s\n", qPrintable(torch.version), torch.threads,
                qPrintable(torch.blas.isEmpty() ? QStringLiteral("?") : torch.blas));
}

} // namespace echoforge::bench

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    using namespace echoforge::bench;
    const QStringList args = app.arguments();
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
        std::printf("Usage: echoforge-bench <suite|all> [options]\n\nSuites:\n");
        for (const auto& s : suites())
            std::printf("  %-12s %s\n", s.name, s.summary);
        return args.size() < 2 ? 2 : 0;
    }
    echoforge::configureTorchThreads(0);
    printMachine();
    int status = 0;
    for (const auto& s : suites()) {
        if (args[1] != "all" && args[1] != s.name)
            continue;
        std::printf("\n== %s ==\n", s.name);
        try {
            status |= s.run(args.mid(2));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench %s failed: %s\n", s.name, e.what());
            status = 1;
        }
    }
    return status;
}
