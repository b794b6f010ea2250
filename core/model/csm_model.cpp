#include "core/model/csm_model.h"

#include <algorithm>
#include <chrono>

#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/model/csm.h"
#include "core/model/csm_checkpoint.h"
#include "core/model/torch_runtime.h"

namespace echoforge {

namespace {

torch::Device torchDevice(ComputeDevice device) { return device == ComputeDevice::Cuda ? torch::kCUDA : torch::kCPU; }

} // namespace

struct CsmModel::Run {
    torch::Tensor promptTokens;   // [T, K+1] int64
    torch::Tensor promptMask;     // [T, K+1] bool
    int64_t prefixFrames = 0;     // the first rows, run on their own (CsmPrompt::reusablePrefixFrames)
    CsmSampling sampling;
    TopKSampler sampler;
    int64_t position = 0;         // next backbone position
    std::vector<int64_t> lastFrame;
};

CsmPrompt syntheticTextPrompt(const CsmConfig& config, int frames) {
    constexpr std::int64_t kFirstId = 1000;
    CsmPrompt prompt;
    for (int f = 0; f < frames; ++f)
        for (int c = 0; c < config.frameWidth(); ++c) {
            const bool text = c == config.audioNumCodebooks;
            prompt.tokens.push_back(text ? kFirstId + f : 0);
            prompt.mask.push_back(text ? 1 : 0);
        }
    return prompt;
}

struct CsmModel::KeptPrefix {
    std::vector<std::int64_t> tokens;   // the prefix's rows, as given
    std::vector<std::uint8_t> mask;
    std::vector<std::pair<torch::Tensor, torch::Tensor>> backboneCache;   // after running them
};

CsmModel::CsmModel(std::unique_ptr<CsmNetwork> network) : network_(std::move(network)) {}
CsmModel::~CsmModel() = default;

std::unique_ptr<CsmModel> CsmModel::load(const QString& configPath, const QString& weightsPath,
                                         const CsmLoadOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    if (options.threads >= 0)
        configureTorchThreads(options.threads);
    const CsmConfig config = configPath.isEmpty() ? CsmConfig::csm1b() : CsmConfig::fromJsonFile(configPath);
    c10::InferenceMode inference;
    WeightSet weights = openCsmWeights(weightsPath, config);
    std::unique_ptr<CsmModel> model(
        new CsmModel(std::make_unique<CsmNetwork>(config, weights, options.precision, torchDevice(options.device))));
    logger(LogArea::Model)->info("CSM loaded from {} ({} weights on {}, configuration {}, {:.1f} s)", weightsPath,
                                 precisionName(options.precision), deviceName(options.device), configPath.isEmpty() ? QStringLiteral("csm-1b") : configPath,
                                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return model;
}

std::unique_ptr<CsmModel> CsmModel::fromWeights(const CsmConfig& config, WeightSet& weights, WeightPrecision precision) {
    c10::InferenceMode inference;
    return std::unique_ptr<CsmModel>(new CsmModel(std::make_unique<CsmNetwork>(config, weights, precision)));
}

std::unique_ptr<CsmModel> CsmModel::withRandomWeights(const CsmConfig& config, const CsmLoadOptions& options,
                                                      std::uint64_t seed) {
    if (options.threads >= 0)
        configureTorchThreads(options.threads);
    c10::InferenceMode inference;
    WeightSet weights = WeightSet::random(
        options.precision == WeightPrecision::Float32 ? torch::kFloat32 : torch::kBFloat16, seed);
    return std::unique_ptr<CsmModel>(
        new CsmModel(std::make_unique<CsmNetwork>(config, weights, options.precision, torchDevice(options.device))));
}

const CsmConfig& CsmModel::config() const { return network_->config(); }
WeightPrecision CsmModel::precision() const { return network_->precision(); }
int64_t CsmModel::weightBytesPerFrame() const { return network_->weightBytesPerFrame(); }

void CsmModel::begin(const CsmPrompt& prompt, const CsmSampling& sampling, int maxFrames) {
    const int64_t width = config().frameWidth();
    if (prompt.tokens.empty() || prompt.tokens.size() % width != 0 || prompt.mask.size() != prompt.tokens.size())
        throw Error(QStringLiteral("A CSM prompt needs one or more frames of %1 ids and a mask of the same size; got %2 ids and %3 mask entries.")
                        .arg(width).arg(prompt.tokens.size()).arg(prompt.mask.size()));
    if (maxFrames < 1)
        throw Error(QStringLiteral("The number of frames to generate must be at least 1, not %1.").arg(maxFrames));
    const int64_t frames = int64_t(prompt.tokens.size()) / width;
    if (prompt.reusablePrefixFrames < 0 || prompt.reusablePrefixFrames >= frames)
        throw Error(QStringLiteral("A reusable prefix of %1 frames does not fit a prompt of %2; it must leave at least one frame.")
                        .arg(prompt.reusablePrefixFrames).arg(frames));
    // generator.py: the prompt must be shorter than max_seq_len − max_generation_len.
    const int64_t window = network_->backbone().cacheCapacity();
    const int64_t maxContext = window - maxFrames;
    if (frames >= maxContext)
        throw Error(QStringLiteral("The prompt is too long: it has %1 frames, but with up to %2 frames to generate it must stay below %3 "
                                   "(the model sees %4 frames at once). Use less context or a shorter maximum length.")
                        .arg(frames).arg(maxFrames).arg(std::max<int64_t>(maxContext, 0)).arg(window));
    c10::InferenceMode inference;
    auto tokens = torch::tensor(prompt.tokens, torch::kInt64).view({frames, width});
    std::vector<std::uint8_t> maskBytes(prompt.mask.begin(), prompt.mask.end());
    auto mask = torch::tensor(at::ArrayRef<std::uint8_t>(maskBytes), torch::kUInt8).view({frames, width}).ne(0);
    network_->resetCaches();
    run_.reset(new Run{tokens, mask, prompt.reusablePrefixFrames, sampling, TopKSampler(sampling.seed), 0, {}});
    framesMade_ = 0;
    reusedPrefixFrames_ = 0;
    if (run_->prefixFrames > 0)
        runPrefix(prompt);
}

void CsmModel::runPrefix(const CsmPrompt& prompt) {
    const std::size_t cells = std::size_t(run_->prefixFrames) * std::size_t(config().frameWidth());
    const std::vector<std::int64_t> tokens(prompt.tokens.begin(), prompt.tokens.begin() + std::ptrdiff_t(cells));
    const std::vector<std::uint8_t> mask(prompt.mask.begin(), prompt.mask.begin() + std::ptrdiff_t(cells));
    LlamaTransformer& backbone = network_->backbone();
    const auto kept = std::find_if(keptPrefixes_.begin(), keptPrefixes_.end(),
                                   [&](const KeptPrefix& k) { return k.tokens == tokens && k.mask == mask; });
    if (kept != keptPrefixes_.end()) {
        backbone.restoreCache(kept->backboneCache);
        keptPrefixes_.splice(keptPrefixes_.begin(), keptPrefixes_, kept);   // now the most recent
        reusedPrefixFrames_ = int(run_->prefixFrames);
    } else {
        // The prefix alone through the backbone: only its keys and values matter here.
        backbone.forward(network_->embedFrames(run_->promptTokens.narrow(0, 0, run_->prefixFrames),
                                               run_->promptMask.narrow(0, 0, run_->prefixFrames)),
                         0);
        keptPrefixes_.push_front(KeptPrefix{tokens, mask, backbone.cacheSnapshot()});
        if (keptPrefixes_.size() > kKeptPrefixes)
            keptPrefixes_.pop_back();
    }
    run_->position = run_->prefixFrames;
}

std::vector<int64_t> CsmModel::nextFrame(CsmFrameTimings* timings) {
    if (!run_)
        throw Error("CSM was asked for a frame before a prompt was given.");
    c10::InferenceMode inference;
    Run& run = *run_;
    const int64_t k = config().audioNumCodebooks;
    // The first frame runs what the prefix left of the prompt.
    torch::Tensor tokens = run.promptTokens.narrow(0, run.prefixFrames, run.promptTokens.size(0) - run.prefixFrames);
    torch::Tensor mask = run.promptMask.narrow(0, run.prefixFrames, run.promptMask.size(0) - run.prefixFrames);
    if (framesMade_ > 0) {
        // generator.py: the previous frame comes back as [codes, 0] with mask [1…1, 0].
        tokens = torch::zeros({1, k + 1}, torch::kInt64);
        tokens.narrow(1, 0, k).copy_(torch::tensor(run.lastFrame, torch::kInt64).view({1, k}));
        mask = torch::ones({1, k + 1}, torch::kBool);
        mask[0][k] = false;
    }
    FrameTimings t;
    run.lastFrame = network_->generateFrame(tokens, mask, run.position, run.sampler, run.sampling.temperature,
                                            run.sampling.topK, &t);
    run.position += tokens.size(0);
    ++framesMade_;
    if (timings) {
        timings->backboneMs += t.backboneMs;
        timings->decoderMs += t.decoderMs;
        timings->samplingMs += t.samplingMs;
    }
    return run.lastFrame;
}

std::vector<std::vector<int64_t>> CsmModel::generate(const CsmPrompt& prompt, const CsmSampling& sampling, int maxFrames,
                                                     const std::function<bool(const std::vector<int64_t>&)>& onFrame) {
    begin(prompt, sampling, maxFrames);
    std::vector<std::vector<int64_t>> frames;
    for (int i = 0; i < maxFrames; ++i) {
        auto frame = nextFrame();
        if (std::all_of(frame.begin(), frame.end(), [](int64_t c) { return c == 0; }))
            break;   // end of speech; the all-zero frame is not kept
        frames.push_back(std::move(frame));
        if (onFrame && !onFrame(frames.back()))
            break;
    }
    return frames;
}

} // namespace echoforge

namespace echoforge {

namespace {

bool endOfSpeech(const std::vector<int64_t>& frame) {
    return std::all_of(frame.begin(), frame.end(), [](int64_t c) { return c == 0; });
}

} // namespace

std::vector<std::vector<std::vector<int64_t>>> CsmModel::generateBatch(
    const std::vector<CsmPrompt>& prompts, const std::vector<CsmSampling>& samplings, int maxFrames,
    const std::function<bool(int, const std::vector<int64_t>&)>& onFrame) {
    return generateBatch(prompts, samplings, std::vector<int>(prompts.size(), maxFrames), onFrame);
}

std::vector<int64_t> CsmModel::startStream(int stream, const CsmPrompt& prompt, const CsmSampling& sampling,
                                           int maxFrames) {
    if (stream < 0 || stream >= kMaxStreams)
        throw Error(QStringLiteral("CSM has streams 0 to %1, not %2.").arg(kMaxStreams - 1).arg(stream));
    LlamaTransformer& backbone = network_->backbone();
    backbone.setStreamCount(std::max(stream + 1, backbone.streamCount()));
    streamRuns_.resize(std::size_t(kMaxStreams));
    // The prompt and first frame exactly as generate() makes them, in the stream's own cache.
    backbone.selectStream(stream);
    network_->decoder().selectStream(0);
    begin(prompt, sampling, maxFrames);
    std::vector<int64_t> first = nextFrame();
    streamRuns_[std::size_t(stream)] = std::move(run_);
    backbone.selectStream(0);
    return first;
}

void CsmModel::endStream(int stream) {
    if (stream >= 0 && stream < int(streamRuns_.size()))
        streamRuns_[std::size_t(stream)].reset();
}

std::vector<std::vector<int64_t>> CsmModel::stepStreams(const std::vector<int>& streams) {
    for (int b : streams)
        if (b < 0 || b >= int(streamRuns_.size()) || !streamRuns_[std::size_t(b)])
            throw Error(QStringLiteral("CSM stream %1 was asked for a frame before it was given a prompt.").arg(b));
    c10::InferenceMode inference;
    LlamaTransformer& backbone = network_->backbone();
    const int64_t n = int64_t(streams.size());
    if (n == 1) {
        // One stream: the one-row path, which has less to do per frame than a batch of one.
        const int b = streams.front();
        run_ = std::move(streamRuns_[std::size_t(b)]);
        backbone.selectStream(b);
        network_->decoder().selectStream(0);
        framesMade_ = 1;   // past the prompt: the last frame comes back as input
        const auto putBack = [&] {   // the stream keeps its run, whether the frame came or not
            streamRuns_[std::size_t(b)] = std::move(run_);
            backbone.selectStream(0);
        };
        std::vector<int64_t> frame;
        try {
            frame = nextFrame();
        } catch (...) {
            putBack();
            throw;
        }
        putBack();
        return {std::move(frame)};
    }

    if (!network_->device().is_cpu())
        throw Error("Batched generation runs on the CPU only.");
    const int64_t k = config().audioNumCodebooks, d = config().backbone.dim, vocab = config().audioVocabSize;
    std::vector<float> rows(std::size_t(n * d)), hidden(std::size_t(n * d)), logits(std::size_t(n * vocab));
    // generator.py: each stream's previous frame comes back as [codes, 0] with mask [1…1, 0].
    std::vector<LlamaTransformer::RowPlace> places;
    for (int64_t r = 0; r < n; ++r) {
        Run& run = *streamRuns_[std::size_t(streams[std::size_t(r)])];
        auto tokens = torch::zeros({1, k + 1}, torch::kInt64);
        tokens.narrow(1, 0, k).copy_(torch::tensor(run.lastFrame, torch::kInt64).view({1, k}));
        auto mask = torch::ones({1, k + 1}, torch::kBool);
        mask[0][k] = false;
        const auto embedded = network_->embedFrames(tokens, mask).contiguous();   // [1, D]
        std::copy_n(embedded.data_ptr<float>(), d, rows.data() + r * d);
        places.push_back({streams[std::size_t(r)], run.position});
    }
    backbone.stepRows(rows.data(), places.data(), n, hidden.data());
    network_->codebook0LogitsRows(hidden.data(), n, logits.data());
    std::vector<const float*> lastHidden;
    std::vector<int64_t> codes0;
    for (int64_t r = 0; r < n; ++r) {
        Run& run = *streamRuns_[std::size_t(streams[std::size_t(r)])];
        codes0.push_back(run.sampler.sample(logits.data() + r * vocab, vocab, run.sampling.temperature, run.sampling.topK));
        lastHidden.push_back(hidden.data() + r * d);
    }
    const auto rest = network_->decodeBatch(lastHidden, codes0, [&](int r, int, const float* l) {
        Run& run = *streamRuns_[std::size_t(streams[std::size_t(r)])];
        return run.sampler.sample(l, vocab, run.sampling.temperature, run.sampling.topK);
    });
    std::vector<std::vector<int64_t>> frames;
    for (int64_t r = 0; r < n; ++r) {
        Run& run = *streamRuns_[std::size_t(streams[std::size_t(r)])];
        std::vector<int64_t> frame{codes0[std::size_t(r)]};
        frame.insert(frame.end(), rest[std::size_t(r)].begin(), rest[std::size_t(r)].end());
        run.lastFrame = frame;
        run.position += 1;
        frames.push_back(std::move(frame));
    }
    return frames;
}

std::vector<std::vector<std::vector<int64_t>>> CsmModel::generateBatch(
    const std::vector<CsmPrompt>& prompts, const std::vector<CsmSampling>& samplings, const std::vector<int>& maxFrames,
    const std::function<bool(int, const std::vector<int64_t>&)>& onFrame) {
    const int streams = int(prompts.size());
    if (streams < 1 || streams > kMaxStreams || samplings.size() != prompts.size() || maxFrames.size() != prompts.size())
        throw Error(QStringLiteral("A batch takes 1 to %1 prompts, each with its sampling and frame limit; got %2 prompts, "
                                   "%3 samplings and %4 limits.")
                        .arg(kMaxStreams).arg(streams).arg(samplings.size()).arg(maxFrames.size()));
    if (!network_->device().is_cpu())
        throw Error("Batched generation runs on the CPU only.");
    c10::InferenceMode inference;

    std::vector<std::vector<std::vector<int64_t>>> frames(static_cast<std::size_t>(streams));
    std::vector<int> active;
    auto keep = [&](int b, std::vector<int64_t> frame) {
        if (endOfSpeech(frame))
            return;   // the all-zero frame is not kept, and the stream ends
        frames[std::size_t(b)].push_back(std::move(frame));
        const bool more = !onFrame || onFrame(b, frames[std::size_t(b)].back());
        if (more && int(frames[std::size_t(b)].size()) < maxFrames[std::size_t(b)])
            active.push_back(b);
    };
    for (int b = 0; b < streams; ++b)
        keep(b, startStream(b, prompts[std::size_t(b)], samplings[std::size_t(b)], maxFrames[std::size_t(b)]));
    while (!active.empty()) {
        const std::vector<int> now = std::move(active);
        active.clear();
        const std::vector<std::vector<int64_t>> made = stepStreams(now);
        for (std::size_t r = 0; r < now.size(); ++r)
            keep(now[r], made[r]);
    }
    for (int b = 0; b < streams; ++b)
        endStream(b);
    return frames;
}

} // namespace echoforge
