#include "core/generation/take_check.h"

#include <algorithm>
#include <cmath>

#include <QRegularExpression>

namespace echoforge {
namespace {

constexpr double kWordsPerSecond = 2.6;       // conversational English
constexpr double kPauseSecondsPerMark = 0.25; // sentence and clause marks
constexpr double kWindowSeconds = 0.05;

double dbfs(double meanSquare) {
    return meanSquare > 0 ? 10.0 * std::log10(meanSquare) : -200.0;
}

double voicedFraction(std::span<const float> audio, int sampleRate, double thresholdDbfs) {
    const std::size_t window = std::max<std::size_t>(1, std::size_t(sampleRate * kWindowSeconds));
    std::size_t windows = 0, voiced = 0;
    for (std::size_t start = 0; start < audio.size(); start += window, ++windows) {
        const std::size_t end = std::min(audio.size(), start + window);
        double sum = 0;
        for (std::size_t i = start; i < end; ++i)
            sum += double(audio[i]) * audio[i];
        if (dbfs(sum / double(end - start)) > thresholdDbfs)
            ++voiced;
    }
    return windows ? double(voiced) / double(windows) : 0.0;
}

int wordCount(const QString& text) {
    static const QRegularExpression word(QStringLiteral("[\\p{L}\\p{N}]+"));
    int n = 0;
    for (auto it = word.globalMatch(text); it.hasNext(); it.next())
        ++n;
    return n;
}

} // namespace

double expectedSpeechSeconds(const QString& text) {
    static const QRegularExpression marks(QStringLiteral("[.!?;:,\\x{2026}]"));
    int pauses = 0;
    for (auto it = marks.globalMatch(text); it.hasNext(); it.next())
        ++pauses;
    return wordCount(text) / kWordsPerSecond + pauses * kPauseSecondsPerMark;
}

TakeAssessment assessTake(std::span<const float> audio, int sampleRate, const QString& text,
                          bool hitLengthLimit, const TakeLimits& limits) {
    TakeAssessment a;
    a.seconds = sampleRate > 0 ? double(audio.size()) / sampleRate : 0.0;
    a.expectedSeconds = expectedSpeechSeconds(text);

    if (audio.empty() || voicedFraction(audio, sampleRate, limits.silenceDbfs) < limits.minVoicedFraction) {
        a.verdict = TakeVerdict::Silent;
        a.reason = QStringLiteral("The take was silent.");
        return a;
    }
    const double runawayAt = limits.runawayFactor * a.expectedSeconds + limits.runawaySlackSeconds;
    if (a.seconds > runawayAt || (hitLengthLimit && a.seconds > a.expectedSeconds + limits.runawaySlackSeconds)) {
        a.verdict = TakeVerdict::Runaway;
        a.reason = QStringLiteral("The take ran to %1 s where the text needs about %2 s.")
                       .arg(a.seconds, 0, 'f', 1).arg(a.expectedSeconds, 0, 'f', 1);
        return a;
    }
    if (wordCount(text) >= limits.earlyMinWords && a.seconds < limits.earlyFactor * a.expectedSeconds) {
        a.verdict = TakeVerdict::EndedEarly;
        a.reason = QStringLiteral("The take stopped after %1 s where the text needs about %2 s.")
                       .arg(a.seconds, 0, 'f', 1).arg(a.expectedSeconds, 0, 'f', 1);
    }
    return a;
}

} // namespace echoforge
