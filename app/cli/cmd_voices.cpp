// echoforge-cli voices: the characters, filtered like the gallery, as a table or JSON.

#include <cstdio>

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/model_layout.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/engine/engine_choice.h"
#include "core/voices/character_model.h"
#include "core/voices/character_summary.h"
#include "core/voices/voice_library.h"

namespace {

using echoforge::Character;

int runVoices(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("List the characters EchoForge can speak as.");
    parser.addHelpOption();
    QCommandLineOption json("json", "Print a JSON array instead of a table.");
    QCommandLineOption gender("gender", "Only this gender: any, female, male or neutral.", "G");
    QCommandLineOption style("style", "Only characters with this style; repeat or separate with commas to require several.", "S");
    QCommandLineOption language("language", "Only this language (\"en\" includes en-GB, en-US...).", "L");
    QCommandLineOption search("search", "Only characters whose name, description, accent or styles contain Q.", "Q");
    parser.addOptions({json, gender, style, language, search});
    parser.process(args);
    if (!parser.positionalArguments().isEmpty())
        throw echoforge::Error(QStringLiteral("Unexpected argument '%1'; see 'echoforge-cli voices --help'.")
                                   .arg(parser.positionalArguments().first()));

    const QString genderValue = parser.value(gender).trimmed().toLower();
    if (!genderValue.isEmpty() && !QStringList{"any", "female", "male", "neutral"}.contains(genderValue))
        throw echoforge::Error(QStringLiteral("The gender '%1' is not one of any, female, male or neutral.").arg(parser.value(gender)));

    const auto settings = echoforge::loadSettings(echoforge::AppPaths::resolveDefault());
    const auto paths = echoforge::AppPaths::resolve(settings);
    echoforge::VoiceLibrary library(echoforge::builtInCharactersDir(), paths.voicesDir);
    for (const QString& error : library.loadErrors())
        std::fprintf(stderr, "warning: skipped a character: %s\n", qPrintable(error));

    echoforge::CharacterFilterModel filter;
    filter.setGender(genderValue);
    QStringList styles;
    for (const QString& value : parser.values(style))
        styles += value.split(',', Qt::SkipEmptyParts);
    filter.setStyles(styles);
    filter.setLanguage(parser.value(language));
    filter.setSearchText(parser.value(search));
    // The engine `say` would use by default; a "csm" setting without the model is shown as auto.
    const QString preferred = settings.engine == "espeak" ? QStringLiteral("espeak") : QStringLiteral("auto");
    const QString activeEngine = echoforge::chooseEngine(preferred, paths.modelsDir).engineId;

    QList<Character> shown;
    for (const Character& c : library.characters())
        if (filter.accepts(c))
            shown << c;

    if (parser.isSet(json)) {
        QJsonArray array;
        for (const Character& c : shown)
            array.append(echoforge::characterSummaryJson(c, echoforge::engineFor(c, activeEngine)));
        std::fputs(QJsonDocument(array).toJson(QJsonDocument::Indented).constData(), stdout);
        return 0;
    }
    if (shown.isEmpty()) {
        std::fprintf(stderr, "No character matches; try fewer filters.\n");
        return 0;
    }
    std::printf("%-18s %-20s %-8s %-8s %-16s %s\n", "ID", "NAME", "GENDER", "AGE", "ACCENT", "STYLES");
    for (const Character& c : shown) {
        QString styleText = c.styles.join(", ");
        if (!c.builtIn)
            styleText += "  [user]";
        if (echoforge::engineFor(c, activeEngine).isEmpty())
            styleText += "  [needs CSM-1B]";
        std::printf("%-18s %-20s %-8s %-8s %-16s %s\n", qPrintable(c.id), qPrintable(c.name), qPrintable(c.gender),
                    qPrintable(c.ageRange), qPrintable(c.accent), qPrintable(styleText));
    }
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(voices, "voices", "List the characters (filters: gender, style, search)", runVoices)
