#pragma once
// CSM-1B for the engine layer, without torch types: load once, then generate frames of K audio
// codes from a prompt of frames. A prompt is built as generator.py builds it (core/generation):
// one row of K+1 ids per frame, with a mask saying which columns are real.

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <vector>

#include <QString>

#include "core/model/csm_config.h"
#include "core/model/precision.h"
#include "core/model/torch_runtime.h"

namespace echoforge {

struct CsmLoadOptions {
    WeightPrecision precision = WeightPrecision::Float32;
    int threads = 0;   // torch intra-op threads; 0 = every core, negative = leave torch's setting
    ComputeDevice device = ComputeDevice::Cpu;
};

// frames × (K+1) ids, row-major: columns 0..K-1 audio codes, column K a text token.
struct CsmPrompt {
    std::vector<int64_t> tokens;
    std::vector<std::uint8_t> mask;   // same shape; 1 where the column is real
    // Frames at the start that many prompts share (a character's reference clips). They always
    // run through the backbone on their own, so their keys and values can be kept and reused
    // when the next prompt starts with the very same frames; the numbers are the same either way.
    int reusablePrefixFrames = 0;
};

// `frames` frames of text as generator.py builds a text segment (the id in the last column, the
// mask on it alone), with made-up ids 1000, 1001, …: a prompt for benchmarks and device checks.
CsmPrompt syntheticTextPrompt(const CsmConfig& config, int frames);

struct CsmSampling {
    double temperature = 0.9;
    int topK = 50;
    std::uint64_t seed = 0;
};

struct CsmFrameTimings {
    double backboneMs = 0, decoderMs = 0, samplingMs = 0;
};

class CsmNetwork;
class WeightSet;

class CsmModel {
public:
    // Reads `configPath` (empty: the built-in csm-1b; any form CsmConfig reads) and maps
    // `weightsPath`: safetensors, or a *.safetensors.index.json and its shards, under the
    // original or the transformers names (csm_checkpoint.h); every tensor must be used and fit.
    static std::unique_ptr<CsmModel> load(const QString& configPath, const QString& weightsPath,
                                          const CsmLoadOptions& options);
    // A model bound to weights already at hand (tests that alter a checkpoint's tensors).
    static std::unique_ptr<CsmModel> fromWeights(const CsmConfig& config, WeightSet& weights, WeightPrecision precision);
    // A model of `config` with random weights made in memory (benchmarks; nothing is read).
    static std::unique_ptr<CsmModel> withRandomWeights(const CsmConfig& config, const CsmLoadOptions& options,
                                                       std::uint64_t seed);
    ~CsmModel();

    const CsmConfig& config() const;
    WeightPrecision precision() const;
    // Bytes of weights read per generated frame.
    int64_t weightBytesPerFrame() const;

    // Starts a generation: resets the caches, seeds the sampler and checks the reference's
    // context window (prompt frames < backbone window − maxFrames), throwing a sentence if not.
    void begin(const CsmPrompt& prompt, const CsmSampling& sampling, int maxFrames);
    // The next frame's K codes: the first call runs the prompt, later calls feed the previous
    // frame back as [codes, 0] with mask [1…1, 0] at the next position.
    std::vector<int64_t> nextFrame(CsmFrameTimings* timings = nullptr);
    int framesMade() const { return framesMade_; }
    // Prompt frames whose keys and values the last begin() took from the previous prompt.
    int reusedPrefixFrames() const { return reusedPrefixFrames_; }

    // generator.py's loop: frames until an all-zero frame (not kept) or `maxFrames`.
    // `onFrame` sees each kept frame and returns false to stop early (cancellation).
    std::vector<std::vector<int64_t>> generate(const CsmPrompt& prompt, const CsmSampling& sampling, int maxFrames,
                                               const std::function<bool(const std::vector<int64_t>&)>& onFrame = {});

    // Several prompts side by side (pieces of a long text, queued jobs): after each stream's
    // prompt, every frame step runs one backbone row per stream and the decoder's steps for all
    // streams as one batch, so each weight read serves every stream. Stream i's frames are
    // exactly those generate(prompts[i], samplings[i], maxFrames) makes. CPU only; at most
    // kMaxStreams prompts. `onFrame(i, frame)` may return false to stop stream i.
    static constexpr int kMaxStreams = 8;
    std::vector<std::vector<std::vector<int64_t>>> generateBatch(
        const std::vector<CsmPrompt>& prompts, const std::vector<CsmSampling>& samplings, int maxFrames,
        const std::function<bool(int, const std::vector<int64_t>&)>& onFrame = {});
    // The same with a limit per stream (pieces of a long text each have their own frame budget):
    // stream i's frames are exactly those generate(prompts[i], samplings[i], maxFrames[i]) makes.
    std::vector<std::vector<std::vector<int64_t>>> generateBatch(
        const std::vector<CsmPrompt>& prompts, const std::vector<CsmSampling>& samplings,
        const std::vector<int>& maxFrames, const std::function<bool(int, const std::vector<int64_t>&)>& onFrame = {});

private:
    friend class CsmStreamPool;
    struct Run;
    explicit CsmModel(std::unique_ptr<CsmNetwork> network);
    void runPrefix(const CsmPrompt& prompt);   // from begin(): the prefix's keys and values, run or kept

    // Streams by number (0 … kMaxStreams − 1), each with its own backbone cache and sampler;
    // generateBatch() and CsmStreamPool drive them. The caller has the model to itself.
    // Runs the prompt in `stream` and returns its first frame.
    std::vector<int64_t> startStream(int stream, const CsmPrompt& prompt, const CsmSampling& sampling, int maxFrames);
    // One more frame for each listed stream (each started and not ended), as one step: one
    // stream alone takes the one-row path generate() takes, several go through the batched
    // rows; the frames are the same either way.
    std::vector<std::vector<int64_t>> stepStreams(const std::vector<int>& streams);
    void endStream(int stream);
    std::vector<std::unique_ptr<Run>> streamRuns_;   // [kMaxStreams]; empty where no stream runs

    std::unique_ptr<CsmNetwork> network_;
    std::unique_ptr<Run> run_;
    struct KeptPrefix;
    // The reusable frames of the last few prompts and their keys and values, most recent first:
    // a script alternates between a few voices.
    std::list<KeptPrefix> keptPrefixes_;
    static constexpr std::size_t kKeptPrefixes = 4;
    int framesMade_ = 0;
    int reusedPrefixFrames_ = 0;
};

} // namespace echoforge
