#pragma once
// CSM hyperparameters as plain structs (SesameAILabs/csm models.py, torchtune llama3_2).
// The real csm-1b is built in; a config.json next to the weights overrides it, so tiny test
// models load the same way as the real one. No torch types here.

#include <cstdint>

#include <QString>

namespace echoforge {

// How the base frequencies are rescaled: not at all (transformers' "default"), all divided by
// the factor ("linear"), or torchtune's Llama3ScaledRoPE (transformers' "llama3", the same formula).
enum class RopeScaling { None, Linear, Llama3 };

// torchtune Llama3ScaledRoPE: base frequencies, then the llama3 long-context scaling.
struct RopeConfig {
    RopeScaling scaling = RopeScaling::Llama3;
    double base = 500'000;
    double scaleFactor = 32;
    double lowFreqFactor = 1;
    double highFreqFactor = 4;
    double oldContextLen = 8192;
};

// One torchtune llama3_2 transformer with identity token embeddings and output layer.
struct LlamaConfig {
    int layers = 0;
    int dim = 0;             // model width D
    int heads = 0;           // query heads
    int kvHeads = 0;         // key/value heads (grouped-query attention)
    int headDim = 0;         // D / heads
    int intermediate = 0;    // SwiGLU hidden width
    int maxSeqLen = 0;       // RoPE table length, and the KV cache length unless overridden
    double normEps = 1e-5;
    RopeConfig rope;

    int64_t parameterCount() const;   // weights of the layers and the final norm
};

struct CsmConfig {
    LlamaConfig backbone;
    LlamaConfig decoder;
    int textVocabSize = 0;
    int audioVocabSize = 0;
    int audioNumCodebooks = 0;       // K; a frame is K audio codes plus one text token
    // The decoder embeds its codes with the backbone's audio embeddings (always so in the original
    // checkpoint; transformers' tie_codebooks_embeddings). When false a transformers checkpoint
    // holds the decoder's own table (depth_decoder.model.embed_tokens).
    bool tieCodebookEmbeddings = true;

    int frameWidth() const { return audioNumCodebooks + 1; }
    // The decoder's KV cache holds one position per codebook (models.py setup_caches).
    int decoderCacheLen() const { return audioNumCodebooks; }

    // The published flavours of models.py: "llama-1B" (backbone) and "llama-100M" (decoder).
    static LlamaConfig flavor(const QString& name);
    // sesame/csm-1b.
    static CsmConfig csm1b();
    // Reads the published form ({"backbone_flavor": "llama-1B", ...}), the explicit form of the
    // golden sets ({"backbone": {"layers": .., "dim": ..}, "rope_base": ..}) or Hugging Face
    // transformers' CsmConfig ({"model_type": "csm", "hidden_size": .., "depth_decoder_config": ..}).
    static CsmConfig fromJsonFile(const QString& path);
    static CsmConfig fromJson(const QByteArray& json, const QString& nameForErrors);

    // Throws echoforge::Error naming the field when a value cannot work.
    void validate(const QString& source) const;
};

} // namespace echoforge
