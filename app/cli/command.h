#pragma once
// echoforge-cli subcommands register themselves, one file each:
//   ECHOFORGE_CLI_COMMAND(tokenize, "tokenize", "Tokenize JSON lines from standard input", runTokenize)
// A command receives its own arguments (argv[0] is "echoforge-cli <name>") and returns the exit
// code; it may throw echoforge::Error, which main prints as one sentence and ends with the exit
// code of its kind (echoforge::cliExitCode: 1 unclassified, 2 invalid input, sysexits.h codes).

#include <vector>

#include <QStringList>

namespace echoforge::cli {

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const QStringList& args);
};

std::vector<Command>& commands();

struct Registrar {
    explicit Registrar(Command c) { commands().push_back(c); }
};

} // namespace echoforge::cli

#define ECHOFORGE_CLI_COMMAND(ident, name, summary, fn) \
    static const ::echoforge::cli::Registrar ident##_registrar{{name, summary, fn}};
