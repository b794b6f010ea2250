#include "core/model/csm.h"

#include <chrono>
#include <cstring>

#include "core/common/error.h"

namespace echoforge {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

void checkIds(const torch::Tensor& ids, int64_t vocab, const char* what) {
    if (ids.numel() == 0)
        return;
    const int64_t low = ids.min().item<int64_t>(), high = ids.max().item<int64_t>();
    if (low < 0 || high >= vocab)
        throw Error(QStringLiteral("A %1 id of the prompt is out of range: ids must lie in 0..%2, found %3.")
                        .arg(QString::fromLatin1(what)).arg(vocab - 1).arg(low < 0 ? low : high));
}

} // namespace

CsmNetwork::CsmNetwork(const CsmConfig& config, WeightSet& weights, WeightPrecision precision, const torch::Device& device)
    : config_(config),
      precision_(precision),
      device_(device),
      backbone_(config.backbone, config.backbone.maxSeqLen, weights, "backbone.", precision, device),
      decoder_(config.decoder, config.decoderCacheLen(), weights, "decoder.", precision, device) {
    const int64_t d = config.backbone.dim, dd = config.decoder.dim;
    const int64_t vocab = config.audioVocabSize, k = config.audioNumCodebooks;
    textEmbeddings_ = toPrecision(weights.take("text_embeddings.weight", {config.textVocabSize, d}), precision).to(device);
    audioEmbeddings_ = toPrecision(weights.take("audio_embeddings.weight", {vocab * k, d}), precision).to(device);
    if (!config.tieCodebookEmbeddings)
        decoderAudioEmbeddings_ = toPrecision(weights.take("decoder_audio_embeddings.weight", {vocab * k, d}), precision).to(device);
    projection_ = Linear(weights.take("projection.weight", {dd, d}), precision, device);
    codebook0Head_ = Linear(weights.take("codebook0_head.weight", {vocab, d}), precision, device);
    const auto audioHead = weights.take("audio_head", {k - 1, dd, vocab});   // used as h @ audio_head[i]
    for (int64_t i = 0; i < k - 1; ++i)
        audioHeads_.emplace_back(audioHead[i].t(), precision, device);
    weights.finish();
}

torch::Tensor CsmNetwork::embedFrames(const torch::Tensor& frameTokens, const torch::Tensor& frameMask) const {
    const int64_t k = config_.audioNumCodebooks, s = frameTokens.size(0);
    checkIds(frameTokens.select(1, k), config_.textVocabSize, "text");
    checkIds(frameTokens.narrow(1, 0, k), config_.audioVocabSize, "audio");
    const auto tokens = frameTokens.to(device_), mask = frameMask.to(device_);
    // models.py _embed_tokens: column c < K is codebook c's code, offset by c·audioVocab
    const auto offsets = torch::arange(k, torch::TensorOptions().dtype(torch::kInt64).device(device_)) * config_.audioVocabSize;
    const auto audioIds = (tokens.narrow(1, 0, k) + offsets).reshape({-1});                    // [s·K]
    const auto audio = audioEmbeddings_.index_select(0, audioIds).view({s, k, -1});            // [s, K, D]
    const auto text = textEmbeddings_.index_select(0, tokens.select(1, k)).unsqueeze(1);       // [s, 1, D]
    const auto weights = mask.to(torch::kFloat32).unsqueeze(-1);                                 // [s, K+1, 1]
    return (torch::cat({audio, text}, 1).to(torch::kFloat32) * weights).sum(1);                 // [s, D]
}

torch::Tensor CsmNetwork::embedAudio(int codebook, int64_t code) const {
    if (code < 0 || code >= config_.audioVocabSize)
        throw Error(QStringLiteral("Audio code %1 of codebook %2 is out of range 0..%3.")
                        .arg(code).arg(codebook).arg(config_.audioVocabSize - 1));
    const torch::Tensor& table = decoderAudioEmbeddings_.defined() ? decoderAudioEmbeddings_ : audioEmbeddings_;
    return table[code + int64_t(codebook) * config_.audioVocabSize].to(torch::kFloat32);
}

torch::Tensor CsmNetwork::codebook0Logits(const torch::Tensor& lastHidden) const { return codebook0Head_(lastHidden); }

void CsmNetwork::audioEmbeddingInto(int codebook, int64_t code, float* out) const {
    if (code < 0 || code >= config_.audioVocabSize)
        (void)embedAudio(codebook, code);   // throws its sentence
    const int64_t d = config_.backbone.dim, row = code + int64_t(codebook) * config_.audioVocabSize;
    // The decoder reads its own table when the config unties it (as embedAudio does).
    const torch::Tensor& table = decoderAudioEmbeddings_.defined() ? decoderAudioEmbeddings_ : audioEmbeddings_;
    if (table.scalar_type() == torch::kFloat32) {
        std::copy_n(table.data_ptr<float>() + row * d, d, out);
        return;
    }
    const auto* bits = reinterpret_cast<const std::uint16_t*>(table.data_ptr<at::BFloat16>()) + row * d;
    for (int64_t i = 0; i < d; ++i) {   // a bf16 is the high half of an fp32
        const std::uint32_t word = std::uint32_t(bits[i]) << 16;
        std::memcpy(out + i, &word, sizeof(float));
    }
}

std::vector<int64_t> CsmNetwork::decodeOnCpu(const torch::Tensor& lastHidden, int64_t code0,
                                             const std::function<int64_t(int, const torch::Tensor&)>& pick,
                                             const std::function<void(int, const torch::Tensor&)>& observeStep) {
    const int64_t d = config_.backbone.dim, dd = config_.decoder.dim, vocab = config_.audioVocabSize;
    std::vector<float> input(std::size_t(2 * d)), projected(std::size_t(2 * dd)), hidden(std::size_t(2 * dd));
    const auto last = lastHidden.to(torch::kCPU, torch::kFloat32).contiguous();
    std::copy_n(last.data_ptr<float>(), d, input.data());        // positions 0, 1: [lastHidden, emb₀(code0)]
    audioEmbeddingInto(0, code0, input.data() + d);
    int64_t rows = 2, position = 0;
    std::vector<int64_t> codes;
    for (int i = 1; i < config_.audioNumCodebooks; ++i) {
        projection_.multiply(input.data(), rows, projected.data());
        decoder_.step(projected.data(), rows, position, hidden.data());
        position += rows;
        const float* lastRow = hidden.data() + (rows - 1) * dd;   // [Dd]
        if (observeStep)
            observeStep(i, torch::from_blob(const_cast<float*>(lastRow), {dd}).clone());
        // A tensor of its own per step: callers may keep the logits they are shown.
        auto logits = torch::empty({vocab});
        audioHeads_[std::size_t(i - 1)].multiply(lastRow, 1, logits.data_ptr<float>());
        const int64_t code = pick(i, logits);
        codes.push_back(code);
        if (i + 1 < config_.audioNumCodebooks)
            audioEmbeddingInto(i, code, input.data());
        rows = 1;
    }
    return codes;
}

std::vector<int64_t> CsmNetwork::decodeCodebooks(const torch::Tensor& lastHidden, int64_t code0,
                                                 const std::function<int64_t(int, const torch::Tensor&)>& pick,
                                                 const std::function<void(int, const torch::Tensor&)>& observeStep) {
    // models.py: "Decoder caches must be reset every frame."
    decoder_.resetCache();
    if (device_.is_cpu())
        return decodeOnCpu(lastHidden, code0, pick, observeStep);
    torch::Tensor input = torch::stack({lastHidden, embedAudio(0, code0)});   // [2, D] at positions 0, 1
    int64_t position = 0;
    std::vector<int64_t> codes;
    for (int i = 1; i < config_.audioNumCodebooks; ++i) {
        const auto hidden = decoder_.forward(projection_(input), position);    // [n, Dd]
        position += input.size(0);
        const auto last = hidden[-1];                                           // [Dd]
        if (observeStep)
            observeStep(i, last);
        const int64_t code = pick(i, audioHeads_[i - 1](last));                 // logits [audioVocab]
        codes.push_back(code);
        input = embedAudio(i, code).unsqueeze(0);                               // [1, D]
    }
    return codes;
}

std::vector<int64_t> CsmNetwork::generateFrame(const torch::Tensor& tokens, const torch::Tensor& mask, int64_t start,
                                               TopKSampler& sampler, double temperature, int topK,
                                               FrameTimings* timings) {
    FrameTimings local;
    FrameTimings& t = timings ? *timings : local;
    auto begin = Clock::now();
    const auto hidden = backbone_.forward(embedFrames(tokens, mask), start);   // [s, D]
    const auto lastHidden = hidden[-1];
    const auto logits0 = codebook0Logits(lastHidden);
    t.backboneMs += msSince(begin);

    begin = Clock::now();
    std::vector<int64_t> frame{sampler.sample(logits0, temperature, topK)};
    t.samplingMs += msSince(begin);

    double sampling = 0;
    begin = Clock::now();
    const auto rest = decodeCodebooks(lastHidden, frame[0], [&](int, const torch::Tensor& logits) {
        const auto drawStart = Clock::now();
        const int64_t code = sampler.sample(logits, temperature, topK);
        sampling += msSince(drawStart);
        return code;
    });
    t.decoderMs += msSince(begin) - sampling;
    t.samplingMs += sampling;
    frame.insert(frame.end(), rest.begin(), rest.end());
    return frame;
}

void CsmNetwork::codebook0LogitsRows(const float* hidden, int64_t rows, float* logits) const {
    codebook0Head_.multiply(hidden, rows, logits);
}

std::vector<std::vector<int64_t>> CsmNetwork::decodeBatch(const std::vector<const float*>& lastHidden,
                                                          const std::vector<int64_t>& codes0,
                                                          const std::function<int64_t(int, int, const float*)>& pick) {
    const int streams = int(lastHidden.size());
    const int64_t d = config_.backbone.dim, dd = config_.decoder.dim, vocab = config_.audioVocabSize;
    if (2 * int64_t(streams) > Linear::kMaxKernelRows)
        throw Error(QStringLiteral("At most %1 streams can be decoded side by side, not %2.").arg(Linear::kMaxKernelRows / 2).arg(streams));
    decoder_.setStreamCount(std::max(streams, decoder_.streamCount()));
    for (int b = 0; b < streams; ++b) {   // models.py: "Decoder caches must be reset every frame."
        decoder_.selectStream(b);
        decoder_.resetCache();
    }
    decoder_.selectStream(0);
    // First step: two rows per stream ([lastHidden, emb₀(code0)] at positions 0, 1), then one.
    std::vector<float> input(std::size_t(2 * streams * d)), projected(std::size_t(2 * streams * dd));
    std::vector<float> hidden(std::size_t(2 * streams * dd)), heads(std::size_t(streams * dd)), logits(std::size_t(streams * vocab));
    std::vector<LlamaTransformer::RowPlace> places;
    for (int b = 0; b < streams; ++b) {
        std::copy_n(lastHidden[std::size_t(b)], d, input.data() + 2 * b * d);
        audioEmbeddingInto(0, codes0[std::size_t(b)], input.data() + (2 * b + 1) * d);
        places.push_back({b, 0});
        places.push_back({b, 1});
    }
    std::vector<std::vector<int64_t>> codes(static_cast<std::size_t>(streams));
    for (int i = 1; i < config_.audioNumCodebooks; ++i) {
        const int64_t rows = int64_t(places.size()), perStream = rows / streams;
        projection_.multiply(input.data(), rows, projected.data());
        decoder_.stepRows(projected.data(), places.data(), rows, hidden.data());
        for (int b = 0; b < streams; ++b)   // each stream's last row
            std::copy_n(hidden.data() + ((b + 1) * perStream - 1) * dd, dd, heads.data() + b * dd);
        // The heads differ per codebook but not per stream: one product serves every stream.
        audioHeads_[std::size_t(i - 1)].multiply(heads.data(), streams, logits.data());
        places.clear();
        for (int b = 0; b < streams; ++b) {
            const int64_t code = pick(b, i, logits.data() + b * vocab);
            codes[std::size_t(b)].push_back(code);
            if (i + 1 < config_.audioNumCodebooks)
                audioEmbeddingInto(i, code, input.data() + b * d);
            places.push_back({b, i + 1});
        }
    }
    return codes;
}

void CsmNetwork::resetCaches() {
    backbone_.resetCache();
    decoder_.resetCache();
}

int64_t CsmNetwork::weightBytesPerFrame() const {
    int64_t bytes = backbone_.weightBytes() + codebook0Head_.weightBytes();
    const int64_t steps = config_.audioNumCodebooks - 1;
    bytes += steps * (decoder_.weightBytes() + projection_.weightBytes());
    for (const auto& head : audioHeads_)
        bytes += head.weightBytes();
    return bytes;
}

} // namespace echoforge
