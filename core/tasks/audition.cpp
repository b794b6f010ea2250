#include "core/tasks/audition.h"

#include "core/common/error.h"
#include "core/voices/voice_anchor.h"

namespace echoforge {
namespace {

constexpr std::uint64_t kAuditionSeedStep = 0xD1B54A32D192ED03ULL;   // odd: every step a new seed
constexpr double kAuditionMaxSeconds = 20.0;                          // a sample line or two

} // namespace

QList<std::uint64_t> auditionSeeds(const QString& characterId, int count, int round) {
    if (count < 1 || count > kMostAuditionTakes)
        throw Error(QStringLiteral("An audition has 1 to %1 takes, not %2.").arg(kMostAuditionTakes).arg(count));
    QList<std::uint64_t> seeds;
    const std::uint64_t base = fixedVoiceSeed(characterId);
    for (int i = 0; i < count; ++i)
        seeds << base + std::uint64_t(round * kMostAuditionTakes + i) * kAuditionSeedStep;
    return seeds;
}

SpeechRequest auditionRequest(const Character& character, std::uint64_t seed, GenerationParams params) {
    if (!character.segments.isEmpty())
        throw Error(QStringLiteral("'%1' already speaks with its own reference clip under CSM, so it needs no audition.")
                        .arg(character.name));
    SpeechRequest request;
    request.text = anchorSampleText(character);
    request.character = character;
    params.seed = seed;
    params.maxSeconds = std::min(params.maxSeconds, kAuditionMaxSeconds);
    request.params = params;
    request.useVoiceAnchor = false;
    return request;
}

JobOptions auditionJobOptions(const QString& outputPath) {
    JobOptions options;
    options.priority = JobPriority::Interactive;
    options.engine = EngineSelection::Csm;
    options.outputPath = outputPath;
    options.keepInHistory = false;
    return options;
}

} // namespace echoforge
