#pragma once
// Checks on a voice clip before it becomes a character, each explained in a sentence: too
// short, too long, clipping, too quiet, too noisy.
// The clone wizard and the HTTP API (POST /api/voices) run the same checks.

#include <span>

#include <QStringList>

namespace echoforge {

struct ClipCheckLimits {
    double minSeconds = 3.0;
    double maxSeconds = 30.0;
    float clippingLevel = 0.999f;
    int clippedRunSamples = 3;          // this many samples in a row at full scale count as clipping
    double quietRmsDbfs = -40.0;        // speech frames quieter than this overall: too quiet
    double minSignalToNoiseDb = 15.0;   // loud frames over the quietest ones
};

struct ClipCheck {
    QStringList problems;   // blocking: the clip cannot be used as it is
    QStringList warnings;   // the clone may sound worse
    bool ok() const { return problems.isEmpty(); }
};

ClipCheck checkClip(std::span<const float> mono, int sampleRate, const ClipCheckLimits& limits = {});

} // namespace echoforge
