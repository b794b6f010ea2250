// echoforge-cli backup FILE: the user's characters, voice anchors, history and settings in one archive.

#include <cstdio>

#include <QCommandLineParser>

#include "app/cli/command.h"
#include "core/backup/backup.h"
#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/common/settings.h"

namespace {

int runBackup(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Write the user's characters, voice anchors, history and settings (not the models) "
                                     "to FILE, a .tar.gz with a manifest and SHA-256 checksums.");
    parser.addHelpOption();
    parser.addPositionalArgument("FILE", "The archive to write, e.g. echoforge-backup.tar.gz.");
    parser.process(args);
    if (parser.positionalArguments().size() != 1)
        throw echoforge::Error("Say which file to write the backup to, e.g. 'echoforge-cli backup echoforge-backup.tar.gz'.");

    const auto paths = echoforge::AppPaths::resolve(echoforge::loadSettings(echoforge::AppPaths::resolveDefault()));
    const QString file = parser.positionalArguments().first();
    const auto manifest = echoforge::createBackup(paths, file);
    std::printf("Backed up %s to %s.\n", qPrintable(echoforge::describeBackup(manifest)), qPrintable(file));
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(backup, "backup", "Back up characters, voice anchors, history and settings to FILE", runBackup)
