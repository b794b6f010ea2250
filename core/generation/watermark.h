#pragma once
// An open, keyed spread-spectrum watermark that marks speech as AI-generated (the reference CSM
// uses silentcipher, whose model is not available). docs/watermark.md specifies the scheme
// precisely, so that anyone can write a detector.
//
// In short: a periodic, band-limited (1-5 kHz) noise pattern with random phases drawn from the
// key is added to the 24 kHz audio, scaled by a causal envelope of the signal so that it stays
// 36-38 dB below speech (the requirement is -35 dB or lower). The detector whitens blocks of one
// pattern period, correlates them with the pattern at every circular offset and reports the
// height of the best peak in standard deviations (a z-score). A search over time scales finds the
// mark after speed, tempo and pitch changes of up to 10 %: each frame is correlated on its own with
// the pattern scaled in frequency by 161 factors, and the frames' best peaks are summed.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace echoforge {

namespace watermark { class Detector; }

using WatermarkKey = std::uint64_t;

// "ECHOFORG" in ASCII: the key every EchoForge output is marked with.
inline constexpr WatermarkKey kDefaultWatermarkKey = 0x4543484F464F5247ull;

// A key from a passphrase: FNV-1a 64 of its bytes (UTF-8).
WatermarkKey watermarkKeyFromText(std::string_view passphrase);

// The fixed parameters of the scheme. Embedder and detector must agree on every one of them:
// they are part of the specification (docs/watermark.md), not settings.
struct WatermarkScheme {
    int sampleRate = 24000;            // the pattern lives at this rate
    int period = 4096;                 // L: pattern length in samples (170.7 ms), a power of two
    double bandLowHz = 1000.0;         // the pattern occupies bins ceil(lo L / fs) .. floor(hi L / fs)
    double bandHighHz = 5000.0;
    double attackSeconds = 0.002;      // envelope follower: time constant while the power rises
    double releaseSeconds = 0.008;     // ... and while it falls (short: no mark tails after words)
    double markToEnvelopeDb = -40.0;   // pattern RMS relative to the envelope
    double blockGateDb = -40.0;        // detector: blocks quieter than the loudest by more are skipped
    double threshold = 6.0;            // detector: z-score at or above which the mark is found
    // The search over time scales (speed, tempo and pitch changes; docs/watermark.md):
    double searchScaleMin = 0.90;      // frequency factors searched, evenly spaced, ends included
    double searchScaleMax = 1.10;
    int searchScaleCount = 161;        // a step of 0.00125
    double searchNullMean = 3.84;      // mean of a frame's peak without a mark (measured)
    double searchNullDeviation = 0.43; // its spread, frame overlap included (measured)
    double searchThreshold = 8.0;      // search score at or above which the mark is found
};

struct Detection {
    double score = 0;                  // z-score of the correlation peak (0 when nothing was analysed)
    double threshold = 0;
    bool synchronousDetected = false;  // score >= threshold
    int blocksUsed = 0;                // pattern periods that entered the correlation
    double secondsAnalysed = 0;        // length of the clip at 24 kHz
    int patternPhase = 0;              // where in the pattern the clip's first 24 kHz sample falls
    // The search over time scales, which finds the mark after a speed, tempo or pitch change:
    double searchScore = 0;            // standardised sum of the frames' best peaks, best factor
    double searchThreshold = 0;
    bool searchDetected = false;       // searchScore >= searchThreshold
    double scale = 1.0;                // frequency factor of the best search score (> 1: sped up or raised)
    bool detected = false;             // either test found the mark (declared last: the verdict)
};

class StreamingWatermarker;

// Embeds and detects the mark of one key. Immutable once made: its const methods may be called
// from several threads at once.
class Watermarker {
public:
    // Throws echoforge::Error for a scheme that is not self-consistent (period, band, rate).
    explicit Watermarker(WatermarkKey key = kDefaultWatermarkKey, const WatermarkScheme& scheme = {});

    WatermarkKey key() const { return key_; }
    const WatermarkScheme& scheme() const { return scheme_; }

    // Marks a whole take of 24 kHz mono audio in place (the stream of one chunk).
    void embed(std::span<float> pcm24k) const;

    // A stream that marks a take chunk by chunk, exactly as embed() marks it whole.
    StreamingWatermarker stream() const;

    // Looks for this key's mark in mono audio at any rate (resampled to 24 kHz first). Throws
    // echoforge::Error for a rate that is not positive.
    Detection detect(std::span<const float> pcm, int sampleRate) const;

    // One period of the pattern at unit RMS (docs/watermark.md, "Pattern").
    std::span<const float> pattern() const { return pattern_; }

private:
    WatermarkKey key_;
    WatermarkScheme scheme_;
    std::vector<float> pattern_;        // [period]
    std::shared_ptr<const watermark::Detector> detector_;   // immutable, shared by copies
};

// Marks a take as its chunks are produced. The state (envelope and position in the pattern) is
// carried between chunks, so the sizes of the chunks do not change a single sample.
class StreamingWatermarker {
public:
    // Marks the next chunk of the take in place.
    void process(std::span<float> chunk);
    // Starts a new take.
    void reset();
    std::uint64_t samplesProcessed() const { return position_; }

private:
    friend class Watermarker;
    StreamingWatermarker(std::vector<float> pattern, const WatermarkScheme& scheme);

    std::vector<float> pattern_;
    double attack_ = 0;        // one-pole coefficients of the power follower
    double release_ = 0;
    double markGain_ = 0;      // pattern RMS / envelope
    double power_ = 0;         // follower state: smoothed x^2
    std::uint64_t position_ = 0;
};

} // namespace echoforge
