// Embedding side of the watermark (docs/watermark.md, "Embedding").

#include "core/generation/watermark.h"

#include <cmath>

#include "core/generation/watermark_detector.h"
#include "core/generation/watermark_pattern.h"

namespace echoforge {
namespace {

// One-pole coefficient for a time constant: y += a (x - y) reaches 1 - 1/e of a step in tau.
double onePoleCoefficient(double tauSeconds, int sampleRate) {
    return 1.0 - std::exp(-1.0 / (tauSeconds * sampleRate));
}

} // namespace

WatermarkKey watermarkKeyFromText(std::string_view passphrase) {
    std::uint64_t hash = 0xCBF29CE484222325ull;   // FNV-1a 64 offset basis
    for (const char c : passphrase) {
        hash ^= std::uint8_t(c);
        hash *= 0x100000001B3ull;                 // FNV-1a 64 prime
    }
    return hash;
}

Watermarker::Watermarker(WatermarkKey key, const WatermarkScheme& scheme)
    : key_(key), scheme_(scheme), pattern_(watermark::synthesisePattern(key, scheme)),
      detector_(std::make_shared<const watermark::Detector>(key, scheme)) {}

void Watermarker::embed(std::span<float> pcm24k) const {
    StreamingWatermarker s = stream();
    s.process(pcm24k);
}

StreamingWatermarker Watermarker::stream() const {
    return StreamingWatermarker(pattern_, scheme_);
}

Detection Watermarker::detect(std::span<const float> pcm, int sampleRate) const {
    return detector_->detect(pcm, sampleRate);
}

StreamingWatermarker::StreamingWatermarker(std::vector<float> pattern, const WatermarkScheme& scheme)
    : pattern_(std::move(pattern)),
      attack_(onePoleCoefficient(scheme.attackSeconds, scheme.sampleRate)),
      release_(onePoleCoefficient(scheme.releaseSeconds, scheme.sampleRate)),
      markGain_(std::pow(10.0, scheme.markToEnvelopeDb / 20.0)) {}

void StreamingWatermarker::process(std::span<float> chunk) {
    const std::uint64_t period = pattern_.size();
    std::size_t phase = std::size_t(position_ % period);
    for (float& sample : chunk) {
        // Power follower on x^2, fast while the signal rises and slower while it falls, fed with
        // the current sample so that a mark never precedes the sound that hides it.
        // A non-finite sample must not poison the envelope (and with it the rest of the take).
        const double power = std::isfinite(sample) ? double(sample) * sample : 0.0;
        power_ += (power > power_ ? attack_ : release_) * (power - power_);
        sample = float(double(sample) + markGain_ * std::sqrt(power_) * pattern_[phase]);
        if (++phase == period)
            phase = 0;
    }
    position_ += chunk.size();
}

void StreamingWatermarker::reset() {
    power_ = 0;
    position_ = 0;
}

} // namespace echoforge
