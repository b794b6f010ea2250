// echoforge-cli diagnostic: the diagnostic report as one JSON object on standard output.

#include <cstdio>

#include <QCommandLineParser>
#include <QDir>
#include <QJsonDocument>

#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/generation/model_runtime.h"
#include "core/wiring/diagnostics.h"
#include "core/wiring/model_runtime_loader.h"
#include "core/common/paths.h"
#include "core/common/settings.h"

namespace {

int runDiagnostic(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Print versions, CPU, memory, paths and model files as JSON.");
    parser.addHelpOption();
    QCommandLineOption modelDir("model-dir", "Model folder to inspect.", "DIR");
    QCommandLineOption compact("compact", "One line instead of indented JSON.");
    parser.addOptions({modelDir, compact});
    parser.process(args);

    auto settings = echoforge::loadSettings(echoforge::AppPaths::resolveDefault());
    if (parser.isSet(modelDir))
        settings.modelDir = parser.value(modelDir);
    auto paths = echoforge::AppPaths::resolve(settings);
    if (parser.isSet(modelDir))
        paths.modelsDir = QDir(parser.value(modelDir)).absolutePath();
    try {
        echoforge::modelRuntime().configureThreads(settings.threads);   // the report's torch_threads
    } catch (const echoforge::Error&) {
        // the report says why the model library did not open
    }

    const QJsonDocument doc(echoforge::diagnosticReport(paths, settings));
    std::fputs(doc.toJson(parser.isSet(compact) ? QJsonDocument::Compact : QJsonDocument::Indented).constData(), stdout);
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(diagnostic, "diagnostic", "Print the diagnostic report as JSON", runDiagnostic)
