// echoforge-cli quality --precision P [--reference fp32|bf16] [--frames N] [--model-dir DIR | --config C --weights W]
// How far weight format P moves CSM from the reference format on the weights at hand: a fixed
// set of text prompts runs greedily in the reference, P teacher-forced on the same codes; prints
// the agreement of greedy codes and the mean KL divergence of codebook 0's distributions.

#include <cstdio>

#include <QCommandLineParser>

#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/numbers.h"
#include "core/common/model_layout.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/generation/csm_prompt.h"
#include "core/model/csm_config.h"
#include "core/generation/model_runtime.h"
#include "core/wiring/model_runtime_loader.h"
#include "core/text/llama3_tokenizer.h"

namespace {

using echoforge::Error;

// Short and long sentences, a question, numbers, an exclamation: what a reader of prose sends.
const char* const kPrompts[] = {
    "Hello there, it is good to hear your voice again.",
    "The weather turned cold overnight, and by morning the lake had frozen over from one shore to the other.",
    "Did you remember to bring the tickets for the seven thirty train?",
    "In 1969, three astronauts travelled three hundred and eighty four thousand kilometres to the moon.",
    "Stop! Please, just listen to me for one moment.",
};

std::vector<echoforge::CsmPrompt> textPrompts(const echoforge::CsmConfig& config, const QString& tokenizerPath) {
    if (tokenizerPath.isEmpty())
        throw Error("The tokenizer (tokenizer/tokenizer.json) was not found; see docs/models.md.");
    const auto tokenizer = echoforge::Llama3Tokenizer::load(tokenizerPath);
    std::vector<echoforge::CsmPrompt> prompts;
    for (const char* text : kPrompts) {
        auto ids = tokenizer.encodeSegment(0, text);
        // A small test configuration has a small text vocabulary: ids wrap into it.
        for (auto& id : ids)
            id = std::int32_t(id % config.textVocabSize);
        echoforge::CsmPromptBuilder builder(config.audioNumCodebooks);
        builder.appendText(ids);
        prompts.push_back({builder.tokens(), builder.mask()});
    }
    return prompts;
}

int runQuality(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Compare a weight format of CSM with fp32 (or bf16) on the installed weights.");
    parser.addHelpOption();
    QCommandLineOption precisionOpt("precision", "The format to judge: bf16, int8 or q4.", "P");
    QCommandLineOption referenceOpt("reference", "The format to compare with: fp32 (default) or bf16.", "R", "fp32");
    QCommandLineOption framesOpt("frames", "Frames per prompt (default 8).", "N", "8");
    QCommandLineOption modelDirOpt("model-dir", "The model folder (csm/, tokenizer/).", "DIR");
    QCommandLineOption configOpt("config", "A CSM configuration file instead of the model folder's.", "C");
    QCommandLineOption weightsOpt("weights", "A CSM safetensors file instead of the model folder's.", "W");
    parser.addOptions({precisionOpt, referenceOpt, framesOpt, modelDirOpt, configOpt, weightsOpt});
    parser.process(args);
    if (!parser.isSet(precisionOpt))
        throw Error("Choose the format to judge with --precision bf16, int8 or q4.");
    const auto candidate = echoforge::choosePrecision(parser.value(precisionOpt));
    const auto reference = echoforge::choosePrecision(parser.value(referenceOpt));
    const int frames = int(echoforge::parseWholeNumber(parser.value(framesOpt), 1, 100, "--frames"));

    auto settings = echoforge::loadSettings(echoforge::AppPaths::resolveDefault());
    if (parser.isSet(modelDirOpt))
        settings.modelDir = parser.value(modelDirOpt);
    const auto paths = echoforge::AppPaths::resolve(settings);
    const auto layout = echoforge::ModelLayout::inspect(parser.isSet(modelDirOpt) ? parser.value(modelDirOpt) : paths.modelsDir);
    const QString weights = parser.isSet(weightsOpt) ? parser.value(weightsOpt) : layout.csmWeights.path;
    const QString config = parser.isSet(configOpt) ? parser.value(configOpt) : (layout.csmConfig.found ? layout.csmConfig.path : QString());
    if (!parser.isSet(weightsOpt) && !layout.csmWeights.found)
        throw Error(QStringLiteral("The CSM weights were not found at %1; see docs/models.md.").arg(weights));
    echoforge::ModelRuntime& runtime = echoforge::modelRuntime();
    runtime.configureThreads(settings.threads);

    const auto csmConfig = config.isEmpty() ? echoforge::CsmConfig::csm1b() : echoforge::CsmConfig::fromJsonFile(config);
    const auto prompts = textPrompts(csmConfig, echoforge::findTokenizerJson(layout.root));
    const auto q = runtime.compareFormats(config, weights, reference, candidate, prompts, frames);
    std::printf("%s against %s, %d prompts × %d frames (%d codes):\n", qPrintable(echoforge::precisionName(candidate)),
                qPrintable(echoforge::precisionName(reference)), int(prompts.size()), frames, q.codes);
    std::printf("  greedy codes agreeing: %.1f %% (codebook 0: %.1f %%)\n", q.codeAgreement * 100, q.codebook0Agreement * 100);
    std::printf("  mean KL divergence of codebook 0: %.4f nats\n", q.meanKl0);
    std::printf("  logit error: mean %.4f, largest %.4f\n", q.meanAbsLogitError, q.maxAbsLogitError);
    return 0;
}

} // namespace

ECHOFORGE_CLI_COMMAND(quality, "quality", "Compare a weight format of CSM with fp32 on the installed weights", runQuality)
