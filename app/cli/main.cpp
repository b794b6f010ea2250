// echoforge-cli: the headless tool. Each subcommand lives in its own file (command.h).

#include <algorithm>
#include <cstdio>

#include <QCoreApplication>

#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/common/settings_check.h"

namespace echoforge::cli {

std::vector<Command>& commands() {
    static std::vector<Command> all;
    return all;
}

} // namespace echoforge::cli

namespace {

void printUsage(FILE* out) {
    std::fprintf(out, "Usage: echoforge-cli <command> [options]\n\nCommands:\n");
    auto sorted = echoforge::cli::commands();
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return std::string_view(a.name) < b.name; });
    for (const auto& c : sorted)
        std::fprintf(out, "  %-14s %s\n", c.name, c.summary);
    std::fprintf(out, "\nRun 'echoforge-cli <command> --help' for a command's options.\n"
                      "Options: --help, --version\n");
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("echoforge");
    QCoreApplication::setOrganizationName("EchoForge");
    QCoreApplication::setApplicationVersion(ECHOFORGE_VERSION);

    const QStringList args = app.arguments();
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h" || args[1] == "help") {
        printUsage(stdout);
        return args.size() < 2 ? 2 : 0;
    }
    if (args[1] == "--version" || args[1] == "-v") {
        std::printf("echoforge-cli %s\n", ECHOFORGE_VERSION);
        return 0;
    }

    // Logs go to the file and, at errors and above, to standard error: a command's own error
    // sentence says what went wrong, and standard output stays machine-readable.
    // A data folder that is a plain file, or a setting that is NaN or infinite, is said once here
    // for every command rather than ignored.
    QStringList settingProblems;
    try {
        const auto paths = echoforge::AppPaths::resolve(echoforge::loadSettings(echoforge::AppPaths::resolveDefault()));
        echoforge::refuseFilesInPlaceOfFolders(paths);
        settingProblems = echoforge::unusableStoredSettings(paths);
        const auto settings = echoforge::loadSettings(paths);
        echoforge::initLogging(paths.logsDir, qEnvironmentVariableIsSet("ECHOFORGE_LOG_LEVEL") ? settings.logLevel : "error");
    } catch (const echoforge::Error& e) {
        std::fprintf(stderr, "echoforge-cli: %s\n", e.what());
        return echoforge::cliExitCode(e.kind());   // a file in place of a folder: Io
    } catch (const std::exception&) {
        echoforge::initLogging({}, "error");
    }
    for (const QString& problem : settingProblems)
        std::fprintf(stderr, "warning: %s\n", qPrintable(problem));

    const QString name = args[1];
    for (const auto& command : echoforge::cli::commands()) {
        if (name != command.name)
            continue;
        QStringList rest = args.mid(2);
        rest.prepend(QStringLiteral("echoforge-cli %1").arg(name));
        try {
            return command.run(rest);
        } catch (const echoforge::Error& e) {
            std::fprintf(stderr, "echoforge-cli %s: %s\n", command.name, e.what());
            return echoforge::cliExitCode(e.kind());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "echoforge-cli %s: unexpected error: %s\n", command.name, e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "echoforge-cli: unknown command '%s'. Run 'echoforge-cli --help' for the list.\n",
                 qPrintable(name));
    return 2;
}
