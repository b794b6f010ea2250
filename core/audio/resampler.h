#pragma once
// Sample-rate conversion with libsoxr at high quality.

#include <memory>
#include <span>
#include <vector>

#include "core/audio/audio_buffer.h"

namespace echoforge {

// The whole buffer at `targetRate` (any channel count). Returns a copy when the rates match.
AudioBuffer resample(const AudioBuffer& audio, int targetRate);

// Mono streaming conversion: feed chunks as they come, then flush() once for the tail.
// The output of feed()+flush() equals resample() of the concatenated input.
class StreamingResampler {
public:
    StreamingResampler(int inputRate, int outputRate);
    ~StreamingResampler();
    StreamingResampler(const StreamingResampler&) = delete;
    StreamingResampler& operator=(const StreamingResampler&) = delete;

    std::vector<float> feed(std::span<const float> input);
    std::vector<float> flush();

    int inputRate() const { return inputRate_; }
    int outputRate() const { return outputRate_; }

private:
    struct State;
    std::unique_ptr<State> state_;
    int inputRate_;
    int outputRate_;
};

} // namespace echoforge
