// echoforge-cli conformance DIR [--device cpu|cuda|auto]: runs every case of a golden directory (tests/data/golden/README.md)
// and prints one PASS/FAIL line per case; exits 1 if any case fails or cannot run.

#include <cstdio>

#include <QCommandLineParser>

#include "app/cli/command.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/generation/model_runtime.h"
#include "core/wiring/model_runtime_loader.h"

namespace {

int runConformance(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Check the models against a golden set of reference outputs.");
    parser.addHelpOption();
    parser.addPositionalArgument("DIR", "Golden directory (csm_config.json, csm_model.safetensors, csm_cases.safetensors, ...).");
    QCommandLineOption deviceOpt("device", "Where CSM computes: cpu, cuda or auto (Mimi stays on the CPU).", "DEVICE", "cpu");
    parser.addOption(deviceOpt);
    parser.process(args);
    if (parser.positionalArguments().size() != 1) {
        std::fputs(qPrintable(parser.helpText()), stderr);
        return 2;
    }
    const auto settings = echoforge::loadSettings(echoforge::AppPaths::resolveDefault());
    echoforge::ModelRuntime& runtime = echoforge::modelRuntime();
    runtime.configureThreads(settings.threads);

    echoforge::ComputeDevice device;
    try {
        device = runtime.chooseDevice(parser.value(deviceOpt));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
    const QString dir = parser.positionalArguments().first();
    int failed = 0;
    std::vector<echoforge::ConformanceCase> cases = runtime.csmConformance(dir, device);
    for (auto& c : runtime.mimiConformance(dir))
        cases.push_back(std::move(c));
    for (const auto& c : cases) {
        std::printf("%s\n", qPrintable(echoforge::conformanceLine(c)));
        failed += c.passed ? 0 : 1;
    }
    std::fflush(stdout);
    return failed == 0 ? 0 : 1;
}

} // namespace

ECHOFORGE_CLI_COMMAND(conformance, "conformance", "Run every case of a golden directory and print PASS/FAIL lines",
                      runConformance)
