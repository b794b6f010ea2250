// echoforge-cli restore FILE: replaces the user's data with a backup's (refused while a studio or
// server uses the data folder; a failed restore leaves the old data as it was).

#include <cstdio>

#include <QCommandLineParser>

#include "app/cli/command.h"
#include "core/backup/backup.h"
#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/common/settings.h"

namespace {

int runRestore(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Replace the characters, voice anchors, history and settings with those in FILE, a "
                                     "backup made by 'echoforge-cli backup' or the studio. The models are not touched.");
    parser.addHelpOption();
    parser.addPositionalArgument("FILE", "The backup to restore.");
    parser.process(args);
    if (parser.positionalArguments().size() != 1)
        throw echoforge::Error("Say which backup to restore, e.g. 'echoforge-cli restore echoforge-backup.tar.gz'.");

    const auto paths = echoforge::AppPaths::resolve(echoforge::loadSettings(echoforge::AppPaths::resolveDefault()));
    const QString file = parser.positionalArguments().first();
    const auto manifest = echoforge::restoreBackup(paths, file);
    std::printf("Restored %s from %s.\n", qPrintable(echoforge::describeBackup(manifest)), qPrintable(file));
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(restore, "restore", "Restore characters, voice anchors, history and settings from FILE", runRestore)
