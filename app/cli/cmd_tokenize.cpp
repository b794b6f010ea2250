// echoforge-cli tokenize: JSON lines {"text": "..."} on standard input become
// {"text": "...", "ids": [...]} lines on standard output, one for one and in order, with the ids of
// the Llama 3 tokenizer (ordinary text: no begin/end ids, special-token strings not special).

#include <cstdio>
#include <iostream>
#include <string>

#include <QCommandLineParser>
#include <nlohmann/json.hpp>

#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/model_layout.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/text/llama3_tokenizer.h"

namespace {

using echoforge::Error;

QString tokenizerPath(const QCommandLineParser& parser, const QCommandLineOption& option, const echoforge::AppPaths& paths) {
    if (parser.isSet(option))
        return parser.value(option);
    const QString found = echoforge::findTokenizerJson(paths.modelsDir);
    if (found.isEmpty())
        throw Error(QStringLiteral("No tokenizer.json was found in %1/tokenizer/; pass --tokenizer PATH.")
                        .arg(paths.modelsDir));
    return found;
}

// The "text" of one input line; throws naming the line when it is not {"text": "<string>"}.
std::string textOfLine(const std::string& line, long lineNumber) {
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(QStringLiteral("Line %1 of standard input is not valid JSON (%2).").arg(lineNumber).arg(e.what()));
    }
    const auto text = value.is_object() ? value.find("text") : value.end();
    if (!value.is_object() || text == value.end() || !text->is_string())
        throw Error(QStringLiteral("Line %1 of standard input is not an object with a string \"text\" field.")
                        .arg(lineNumber));
    return text->get<std::string>();
}

int runTokenize(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Tokenize JSON lines {\"text\": ...} from standard input with the Llama 3 tokenizer, writing "
        "{\"text\": ..., \"ids\": [...]} lines to standard output.");
    parser.addHelpOption();
    QCommandLineOption tokenizerOption("tokenizer", "The tokenizer.json to use (default: the model folder's).", "PATH");
    parser.addOption(tokenizerOption);
    parser.process(args);

    // The tables are kept in the cache folder: a script calling `tokenize` line by line pays for
    // the 9 MB of JSON once, not on every call.
    const auto paths = echoforge::AppPaths::resolve(echoforge::loadSettings(echoforge::AppPaths::resolveDefault()));
    const auto tokenizer = echoforge::Llama3Tokenizer::load(tokenizerPath(parser, tokenizerOption, paths), paths.cacheDir);
    std::ios::sync_with_stdio(false);
    std::string line, out;
    for (long lineNumber = 1; std::getline(std::cin, line); ++lineNumber) {
        const std::string text = textOfLine(line, lineNumber);
        out.assign("{\"text\":").append(nlohmann::json(text).dump()).append(",\"ids\":[");
        const std::vector<int32_t> ids = tokenizer.encode(text);
        for (size_t i = 0; i < ids.size(); ++i) {
            if (i > 0)
                out += ',';
            out += std::to_string(ids[i]);
        }
        out += "]}\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
        std::fflush(stdout);  // a line out for each line in, also when driven through a pipe
    }
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(tokenize, "tokenize", "Tokenize JSON lines from standard input (Llama 3 ids)", runTokenize)
