#pragma once
// Sesame's CSM (SesameAILabs/csm models.py `Model`): a Llama backbone over frames of K audio
// codes plus one text token, codebook 0 from the backbone, codebooks 1..K-1 from a small Llama
// decoder. Torch TUs only; the engine layer uses core/model/csm_model.h.

#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/model/csm_config.h"
#include "core/model/llama.h"
#include "core/model/sampling.h"

namespace echoforge {

// Wall time of one frame's stages.
struct FrameTimings {
    double backboneMs = 0;   // embeddings, backbone, codebook-0 head
    double decoderMs = 0;    // projection, decoder, audio heads
    double samplingMs = 0;   // all K draws
};

class CsmNetwork {
public:
    // Binds every tensor of `weights` by the checkpoint's names, kept on `device`; throws on
    // anything missing, misshapen or left over. Inputs may come from any device; hidden states
    // and logits stay on the model's.
    CsmNetwork(const CsmConfig& config, WeightSet& weights, WeightPrecision precision,
               const torch::Device& device = torch::kCPU);

    const CsmConfig& config() const { return config_; }
    WeightPrecision precision() const { return precision_; }
    const torch::Device& device() const { return device_; }
    LlamaTransformer& backbone() { return backbone_; }
    LlamaTransformer& decoder() { return decoder_; }
    const Linear& projection() const { return projection_; }   // backbone width → decoder width

    // tokens, mask [s, K+1] (int64, bool) → [s, D]: Σ over columns of embedding · mask. Column k < K
    // holds codebook k's code (row code + k·audioVocab of audio_embeddings), column K a text id.
    torch::Tensor embedFrames(const torch::Tensor& tokens, const torch::Tensor& mask) const;
    // Row code + codebook·audioVocab of the embeddings the decoder reads, fp32 [D].
    torch::Tensor embedAudio(int codebook, int64_t code) const;
    // lastHidden [D] → logits of codebook 0 [audioVocab].
    torch::Tensor codebook0Logits(const torch::Tensor& lastHidden) const;

    // generate_frame's decoder loop for one frame: the decoder cache is reset, positions 0 and 1
    // take projection([lastHidden, emb₀(code0)]), then one code embedding per step.
    // `pick(i, logits)` chooses code i from its logits [audioVocab]; returns codes 1..K-1.
    std::vector<int64_t> decodeCodebooks(const torch::Tensor& lastHidden, int64_t code0,
                                         const std::function<int64_t(int, const torch::Tensor&)>& pick,
                                         const std::function<void(int, const torch::Tensor&)>& observeStep = {});

    // One frame: backbone over `tokens`/`mask` [s, K+1] at positions start.., then the
    // codebooks, drawn by `sampler`. Returns K codes.
    std::vector<int64_t> generateFrame(const torch::Tensor& tokens, const torch::Tensor& mask, int64_t start,
                                       TopKSampler& sampler, double temperature, int topK,
                                       FrameTimings* timings = nullptr);

    // Batched generation on the CPU (CsmModel::generateBatch): the rows of several streams at
    // once, each weight read serving all of them. hidden [rows, D] → logits [rows, audioVocab].
    void codebook0LogitsRows(const float* hidden, int64_t rows, float* logits) const;
    // decodeCodebooks for `lastHidden.size()` streams side by side: stream b's decoder keys and
    // values are decoder stream b (made here), codes0[b] its codebook-0 code, and
    // pick(b, i, logits) draws its code i from logits [audioVocab]. Returns codes 1..K-1 per
    // stream, exactly those decodeCodebooks gives each stream alone.
    std::vector<std::vector<int64_t>> decodeBatch(const std::vector<const float*>& lastHidden, const std::vector<int64_t>& codes0,
                                                  const std::function<int64_t(int, int, const float*)>& pick);

    void resetCaches();
    // Weight bytes read to make one frame after the prompt (the bandwidth floor's numerator).
    int64_t weightBytesPerFrame() const;

private:
    // decodeCodebooks on the CPU: float rows through Linear::multiply and the decoder's step(),
    // no torch operation per step (llama.h).
    std::vector<int64_t> decodeOnCpu(const torch::Tensor& lastHidden, int64_t code0,
                                     const std::function<int64_t(int, const torch::Tensor&)>& pick,
                                     const std::function<void(int, const torch::Tensor&)>& observeStep);
    // Row code + codebook·audioVocab of audio_embeddings into out [D] as fp32.
    void audioEmbeddingInto(int codebook, int64_t code, float* out) const;

    CsmConfig config_;
    WeightPrecision precision_;
    torch::Device device_;
    LlamaTransformer backbone_;
    LlamaTransformer decoder_;
    torch::Tensor textEmbeddings_;    // [textVocab, D]
    torch::Tensor audioEmbeddings_;   // [audioVocab·K, D]
    // The decoder's own code embeddings [audioVocab·K, D] when the config unties them
    // (transformers tie_codebooks_embeddings = false); undefined: it reads audioEmbeddings_.
    torch::Tensor decoderAudioEmbeddings_;
    Linear projection_;               // [Dd, D]
    Linear codebook0Head_;            // [audioVocab, D]
    std::vector<Linear> audioHeads_;  // K-1 of [audioVocab, Dd]: audio_head[i]ᵀ
};

} // namespace echoforge
