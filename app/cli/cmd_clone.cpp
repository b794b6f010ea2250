// echoforge-cli clone: make a character from a clip of someone speaking.

#include <cstdio>

#include <QCommandLineParser>

#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/model_layout.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/engine/engine_choice.h"
#include "core/wiring/installed_engines.h"
#include "core/engine/espeak_engine.h"
#include "core/voices/voice_clone.h"
#include "core/voices/voice_library.h"

namespace {

using echoforge::Error;

int runClone(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Make a character from 3 to 30 seconds of someone speaking.");
    parser.addHelpOption();
    QCommandLineOption name("name", "The new character's name.", "N");
    QCommandLineOption audio("audio", "The clip: WAV, FLAC, OGG or MP3 with 3 to 30 s of speech.", "FILE");
    QCommandLineOption transcript("transcript", "The words spoken in the clip.", "TEXT");
    QCommandLineOption gender("gender", "female, male or neutral (default neutral).", "G", "neutral");
    QCommandLineOption style("style", "Style tags, separated by commas.", "S,...");
    QCommandLineOption description("description", "A line describing the voice.", "D");
    parser.addOptions({name, audio, transcript, gender, style, description});
    parser.process(args);

    for (const auto* required : {&name, &audio, &transcript})
        if (!parser.isSet(*required))
            throw Error(QStringLiteral("--%1 is required; see 'echoforge-cli clone --help'.").arg(required->names().constFirst()));

    const auto settings = echoforge::loadSettings(echoforge::AppPaths::resolveDefault());
    const auto paths = echoforge::AppPaths::resolve(settings);
    paths.ensureExist();
    echoforge::VoiceLibrary library(echoforge::builtInCharactersDir(), paths.voicesDir);

    echoforge::CloneRequest request;
    request.name = parser.value(name);
    request.audioPath = parser.value(audio);
    request.transcript = parser.value(transcript);
    request.gender = parser.value(gender);
    for (const QString& value : parser.values(style))
        request.styles += value.split(',', Qt::SkipEmptyParts);
    request.description = parser.value(description);
    echoforge::CloneLimits limits;
    limits.targetLufs = settings.loudnessTargetLufs;

    const echoforge::Character c = echoforge::cloneCharacter(library, request, limits);
    std::printf("Saved '%s' as %s in %s\n", qPrintable(c.name), qPrintable(c.id), qPrintable(c.folder));
    if (!echoforge::ModelLayout::inspect(paths.modelsDir).complete()) {
        std::fprintf(stderr, "note: %s\n", qPrintable(echoforge::EspeakEngine::cloningRefusal(c.name)));
        return 0;
    }
    // Encode the clip with Mimi now, so later generations find its codes in the cache.
    try {
        auto engine = echoforge::createEngine("csm", paths, settings);
        for (const echoforge::ReferenceSegment& segment : c.segments)
            engine->prepareReference(segment.audioPath);
        std::printf("Encoded the clip for CSM-1B.\n");
    } catch (const echoforge::Error& e) {
        std::fprintf(stderr, "note: the clip will be encoded when the voice is first used (%s)\n", e.what());
    }
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(clone, "clone", "Make a character from a clip of someone speaking", runClone)
