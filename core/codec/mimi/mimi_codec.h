#pragma once
// The Mimi audio codec behind a torch-free header: 24 kHz mono PCM ↔ codes, one frame of codes
// per 80 ms. For the generation layer, the CLI and the UI; model code may use mimi_model.h.
//
//   auto codec = MimiCodec::load(weightsPath, {});          // {} = the published Mimi's config
//   MimiCodec::Codes codes = codec.encode(pcm);             // codes[k][frame]
//   std::vector<float> pcm2 = codec.decode(codes);
//   MimiCodec::StreamingDecoder stream = codec.streamingDecoder();
//   std::vector<float> chunk = stream.decodeFrame(codesOfOneFrame);   // samplesPerFrame() samples
//
// Copies of a MimiCodec share the loaded model; every method may throw echoforge::Error.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <QString>

namespace echoforge {

namespace mimi {
class MimiModel;
struct MimiDecoderState;
struct MimiEncoderState;
}

class MimiCodec {
public:
    using Codes = std::vector<std::vector<int64_t>>;   // [codebook][frame]

    // Loads the weights strictly. An empty `configPath` means the published Mimi's configuration;
    // otherwise a JSON file in the golden set's `mimi_config.json` form.
    static MimiCodec load(const QString& weightsPath, const QString& configPath = {});
    // The published Mimi's dimensions with random weights made in memory (benchmarks).
    static MimiCodec withRandomWeights(std::uint64_t seed);

    int sampleRate() const;
    int samplesPerFrame() const;   // 1,920 for the published Mimi (80 ms at 24 kHz)
    int numCodebooks() const;      // 32 for the published Mimi
    int cardinality() const;       // codes per codebook (2,048)

    // PCM at sampleRate(); a tail shorter than a frame is padded with silence, so the result
    // has ceil(samples / samplesPerFrame()) frames.
    Codes encode(std::span<const float> pcm) const;
    // codes[k][frame] for k < K, 1 ≤ K ≤ numCodebooks(), every row as long → frames · samplesPerFrame() samples.
    std::vector<float> decode(const Codes& codes) const;

    // Decodes frame after frame; equals decode() until the transformer's context (10 s) is full,
    // then follows the reference's streaming behaviour.
    class StreamingDecoder {
    public:
        StreamingDecoder(StreamingDecoder&&) noexcept;
        StreamingDecoder& operator=(StreamingDecoder&&) noexcept;
        ~StreamingDecoder();
        // One code per codebook → samplesPerFrame() samples.
        std::vector<float> decodeFrame(const std::vector<int64_t>& codesOfOneFrame);
        void reset();
        int64_t framesDecoded() const;

    private:
        friend class MimiCodec;
        StreamingDecoder(std::shared_ptr<const mimi::MimiModel> model);
        std::shared_ptr<const mimi::MimiModel> model_;
        std::unique_ptr<mimi::MimiDecoderState> state_;
    };

    // Encodes whole frames as audio arrives; a partial frame waits for the next call.
    class StreamingEncoder {
    public:
        StreamingEncoder(StreamingEncoder&&) noexcept;
        StreamingEncoder& operator=(StreamingEncoder&&) noexcept;
        ~StreamingEncoder();
        // Appends `pcm` and returns codes[k][frame] for every frame completed by it (maybe none).
        Codes push(std::span<const float> pcm);
        void reset();

    private:
        friend class MimiCodec;
        StreamingEncoder(std::shared_ptr<const mimi::MimiModel> model);
        std::shared_ptr<const mimi::MimiModel> model_;
        std::unique_ptr<mimi::MimiEncoderState> state_;
        std::vector<float> pending_;   // samples of the frame not yet complete
    };

    StreamingDecoder streamingDecoder() const;
    StreamingEncoder streamingEncoder() const;

private:
    explicit MimiCodec(std::shared_ptr<const mimi::MimiModel> model);
    std::shared_ptr<const mimi::MimiModel> model_;
};

} // namespace echoforge
