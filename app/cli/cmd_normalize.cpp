// echoforge-cli normalize: each line of standard input becomes its spoken form on one line of
// standard output, as CSM will be given it (numbers, abbreviations, symbols as words; pause marks
// kept). --voice ID applies that character's pronunciation lexicon over the library's.

#include <cstdio>
#include <iostream>
#include <string>

#include <QCommandLineParser>

#include "app/cli/command.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/text/lexicon.h"
#include "core/text/text_normalizer.h"
#include "core/voices/voice_library.h"

namespace {

int runNormalize(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Write the spoken form of each line of standard input (what CSM is given) on one line of standard output.");
    parser.addHelpOption();
    QCommandLineOption voice("voice", "Apply this character's pronunciation lexicon too.", "ID");
    parser.addOption(voice);
    parser.process(args);

    const auto paths = echoforge::AppPaths::resolve(echoforge::loadSettings(echoforge::AppPaths::resolveDefault()));
    QString characterId;
    if (parser.isSet(voice))   // an unknown id is refused with the sentence that lists the way out
        characterId = echoforge::VoiceLibrary(echoforge::builtInCharactersDir(), paths.voicesDir).require(parser.value(voice)).id;
    const echoforge::text::Lexicon lexicon = echoforge::text::voiceLexicon(paths.lexiconsDir, characterId);

    std::ios::sync_with_stdio(false);
    std::string line;
    while (std::getline(std::cin, line)) {
        const QByteArray out = echoforge::text::spokenForm(QString::fromUtf8(line.data(), qsizetype(line.size())), lexicon)
                                   .toUtf8() + '\n';
        std::fwrite(out.constData(), 1, std::size_t(out.size()), stdout);
        std::fflush(stdout);   // one line out for each line in, also through a pipe
    }
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(normalize, "normalize", "Write the spoken form of each line of standard input", runNormalize)
