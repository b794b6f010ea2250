// echoforge-cli anchor: keep a take as a character's CSM voice (its anchor), show it, or reset it.

#include <cstdio>

#include <QCommandLineParser>

#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/numbers.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/text/text_normalizer.h"
#include "core/voices/voice_anchor.h"
#include "core/voices/voice_library.h"

namespace {

using echoforge::Error;

int runAnchor(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Keep a take as a character's CSM voice, show the kept one, or forget it.");
    parser.addHelpOption();
    QCommandLineOption voice("voice", "The character id.", "ID");
    QCommandLineOption take("take", "The take to keep: a WAV, FLAC, OGG or MP3 of 1 to 30 s.", "FILE");
    QCommandLineOption transcript("transcript", "What is said in the take (default: the character's sample line).", "TEXT");
    QCommandLineOption seed("seed", "The seed the take was made with (as 'audition' printed it).", "S");
    QCommandLineOption reset("reset", "Forget the kept voice; the next CSM request makes a new one from the sample line.");
    parser.addOptions({voice, take, transcript, seed, reset});
    parser.process(args);
    if (!parser.isSet(voice))
        throw Error("Choose a character with --voice ID; 'echoforge-cli voices' lists them.");
    if (parser.isSet(take) && parser.isSet(reset))
        throw Error("Give either --take FILE (keep a take) or --reset (forget the kept one), not both.");

    const auto paths = echoforge::AppPaths::resolve(echoforge::loadSettings(echoforge::AppPaths::resolveDefault()));
    const echoforge::Character character =
        echoforge::VoiceLibrary(echoforge::builtInCharactersDir(), paths.voicesDir).require(parser.value(voice));
    echoforge::AnchorStore store(paths.anchorsDir);

    if (parser.isSet(reset)) {
        const bool had = store.reset(character.id);
        std::printf(had ? "Forgot the voice of %s; its next CSM request makes a new one from its sample line.\n"
                        : "%s had no kept voice.\n",
                    qPrintable(character.id));
        return 0;
    }
    if (!parser.isSet(take)) {
        const auto anchor = store.find(character.id);
        if (!character.segments.isEmpty())
            std::printf("%s speaks with its own reference clip: %s\n", qPrintable(character.id),
                        qPrintable(character.segments.front().audioPath));
        else if (!anchor)
            std::printf("%s has no kept voice yet; its first CSM request makes one from its sample line.\n",
                        qPrintable(character.id));
        else
            std::printf("%s\t%s\t%s\tseed %s\n\"%s\"\n", qPrintable(character.id), qPrintable(anchor->segment.audioPath),
                        anchor->automatic ? "first use" : "chosen",
                        anchor->seed ? qPrintable(QString::number(*anchor->seed)) : "unknown",
                        qPrintable(anchor->segment.transcript));
        return 0;
    }
    if (!character.segments.isEmpty())
        throw Error(QStringLiteral("'%1' speaks with its own reference clip, so a kept take would not be used.").arg(character.name));
    std::optional<std::uint64_t> seedValue;
    if (parser.isSet(seed))
        seedValue = echoforge::parseSeed(parser.value(seed), "--seed");
    // The audition spoke the spoken form of the sample line, so that is what the take says.
    const QString words = parser.isSet(transcript) ? parser.value(transcript)
                                                   : echoforge::text::normalizeForSpeech(echoforge::anchorSampleText(character));
    const echoforge::VoiceAnchor kept = store.keepFile(character.id, parser.value(take), words, character.csmSpeakerId, seedValue);
    std::printf("Kept %s as the voice of %s.\n", qPrintable(kept.segment.audioPath), qPrintable(character.id));
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(anchor, "anchor", "Keep, show or reset a character's CSM voice (its anchor)", runAnchor)
