#pragma once
// What the cloning wizard's pages build up together: the clip, the part kept, the transcript.

#include <span>
#include <vector>

#include <QString>

namespace echoforge::ui {

struct CloneDraft {
    std::vector<float> samples;   // mono
    int sampleRate = 0;
    QString sourceName;           // the imported file's name; empty for a recording
    qint64 keepFrom = 0;          // the trimmed part, in frames
    qint64 keepTo = 0;
    QString transcript;

    bool hasClip() const { return !samples.empty() && sampleRate > 0; }
    std::span<const float> kept() const {
        return std::span<const float>(samples).subspan(std::size_t(keepFrom), std::size_t(keepTo - keepFrom));
    }
};

} // namespace echoforge::ui
