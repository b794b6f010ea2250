#include "core/voices/clip_checks.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <QObject>

namespace echoforge {
namespace {

constexpr double kFrameSeconds = 0.05;

double toDb(double amplitude) { return amplitude > 0 ? 20.0 * std::log10(amplitude) : -120.0; }

// RMS of consecutive 50 ms frames.
std::vector<double> frameRms(std::span<const float> mono, int sampleRate) {
    const auto frame = std::max<std::size_t>(1, static_cast<std::size_t>(kFrameSeconds * sampleRate));
    std::vector<double> out;
    for (std::size_t at = 0; at + frame <= mono.size(); at += frame) {
        double sum = 0;
        for (std::size_t i = at; i < at + frame; ++i) sum += double(mono[i]) * mono[i];
        out.push_back(std::sqrt(sum / double(frame)));
    }
    return out;
}

} // namespace

ClipCheck checkClip(std::span<const float> mono, int sampleRate, const ClipCheckLimits& limits) {
    ClipCheck check;
    const double seconds = sampleRate > 0 ? double(mono.size()) / sampleRate : 0.0;
    if (seconds < limits.minSeconds)
        check.problems << QObject::tr("The clip is %1 s long; a voice needs at least %2 s of speech.")
                              .arg(seconds, 0, 'f', 1).arg(limits.minSeconds);
    if (seconds > limits.maxSeconds)
        check.problems << QObject::tr("The clip is %1 s long; trim it to at most %2 s.")
                              .arg(seconds, 0, 'f', 1).arg(limits.maxSeconds);

    int run = 0;
    bool clipped = false;
    for (float s : mono) {
        run = std::abs(s) >= limits.clippingLevel ? run + 1 : 0;
        if (run >= limits.clippedRunSamples) { clipped = true; break; }
    }
    if (clipped)
        check.warnings << QObject::tr("The recording clips (it hits full scale): record further from the microphone "
                                      "or lower the input level.");

    std::vector<double> frames = frameRms(mono, sampleRate);
    if (frames.empty())
        return check;
    std::sort(frames.begin(), frames.end());
    // The loud tenth is speech; the quiet tenth is the room between words.
    const double speech = frames[frames.size() * 9 / 10];
    const double floor = std::max(frames[frames.size() / 10], 1e-6);
    if (toDb(speech) < limits.quietRmsDbfs)
        check.problems << QObject::tr("The speech is very quiet (%1 dBFS): move closer to the microphone or raise "
                                      "its level.").arg(toDb(speech), 0, 'f', 0);
    else if (toDb(speech) - toDb(floor) < limits.minSignalToNoiseDb)
        check.warnings << QObject::tr("There is a lot of background noise (the voice is only %1 dB above it): "
                                      "record in a quieter room.").arg(toDb(speech) - toDb(floor), 0, 'f', 0);
    return check;
}

} // namespace echoforge
