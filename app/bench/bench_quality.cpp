// echoforge-bench quality [--formats LIST] [--prompts N] [--frames F]
// How far each weight format moves CSM-1B at full size from fp32, with random weights made in
// memory (issue 16, point 4: the golden set's small model says how the formats compare; this says
// it at the real shapes, where rounding errors add up over 2,048-wide rows and 16 layers). Both
// networks run the same text prompts, the candidate teacher-forced on fp32's greedy codes
// (core/model/format_quality.h); `echoforge-cli quality` does the same on the real weights.

#include <cstdio>

#include <QCommandLineParser>

#include "app/bench/bench.h"
#include "core/common/error.h"
#include "core/common/numbers.h"
#include "core/model/format_quality.h"
#include "core/model/precision.h"

namespace {

using namespace echoforge;

int runQualityBench(const QStringList& args) {
    QCommandLineParser parser;
    QCommandLineOption formatsOpt("formats", "Formats to compare with fp32, comma-separated.", "LIST", "bf16,int8,q4");
    QCommandLineOption promptsOpt("prompts", "Text prompts (20, 24, 28, … frames of made-up ids).", "N", "3");
    QCommandLineOption framesOpt("frames", "Frames per prompt.", "F", "4");
    parser.addOptions({formatsOpt, promptsOpt, framesOpt});
    parser.parse(QStringList{"quality"} + args);
    const int promptCount = int(parseWholeNumber(parser.value(promptsOpt), 1, 16, "--prompts"));
    const int frames = int(parseWholeNumber(parser.value(framesOpt), 1, 64, "--frames"));

    const CsmConfig config = CsmConfig::csm1b();
    std::vector<CsmPrompt> prompts;
    for (int i = 0; i < promptCount; ++i)
        prompts.push_back(syntheticTextPrompt(config, 20 + 4 * i));

    std::printf("CSM-1B at full size, random weights (seed 42); %d prompts × %d frames × %d codebooks against fp32\n",
                promptCount, frames, config.audioNumCodebooks);
    std::printf("%-6s %16s %12s %14s %22s %12s  %s\n", "format", "codes agreeing", "codebook 0", "mean KL cb0",
                "logit error mean/max", "mean |logit|", "time");
    for (const QString& name : parser.value(formatsOpt).split(',', Qt::SkipEmptyParts)) {
        const WeightPrecision candidate = choosePrecision(name.trimmed());
        const auto start = bench::Clock::now();
        const FormatQuality q =
            compareFormatsOnRandomWeights(config, 42, WeightPrecision::Float32, candidate, prompts, frames);
        std::printf("%-6s %15.1f%% %11.1f%% %14.6f %12.4f / %7.3f %12.4f  %.0f s\n", qPrintable(precisionName(candidate)),
                    100 * q.codeAgreement, 100 * q.codebook0Agreement, q.meanKl0, q.meanAbsLogitError, q.maxAbsLogitError,
                    q.meanAbsLogit, bench::secondsSince(start));
        std::fflush(stdout);
    }
    return 0;
}

} // namespace

ECHOFORGE_BENCH(quality, "quality", "How far each weight format moves full-size CSM-1B (random weights) from fp32",
                runQualityBench)
