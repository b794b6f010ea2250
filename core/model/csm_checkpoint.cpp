#include "core/model/csm_checkpoint.h"

#include <regex>
#include <unordered_map>
#include <utility>

#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/model/checkpoint_files.h"

namespace echoforge {

namespace {

using Tensors = std::unordered_map<std::string, torch::Tensor>;

// transformers convert_csm.py ORIGINAL_TO_CONVERTED_KEY_MAPPING, as (transformers, original):
// the parts of one layer's names, then whole names outside the layers.
const std::vector<std::pair<std::string, std::string>> kLayerParts = {
    {"self_attn.q_proj.weight", "attn.q_proj.weight"},
    {"self_attn.k_proj.weight", "attn.k_proj.weight"},
    {"self_attn.v_proj.weight", "attn.v_proj.weight"},
    {"self_attn.o_proj.weight", "attn.output_proj.weight"},
    {"mlp.gate_proj.weight", "mlp.w1.weight"},
    {"mlp.down_proj.weight", "mlp.w2.weight"},
    {"mlp.up_proj.weight", "mlp.w3.weight"},
    {"input_layernorm.weight", "sa_norm.scale"},
    {"post_attention_layernorm.weight", "mlp_norm.scale"},
};
const std::vector<std::pair<std::string, std::string>> kWholeNames = {
    {"embed_text_tokens.weight", "text_embeddings.weight"},
    // convert_csm.py's first releases kept the text embeddings inside the backbone's.
    {"backbone_model.embed_tokens.embed_text_tokens.weight", "text_embeddings.weight"},
    {"backbone_model.embed_tokens.embed_audio_tokens.weight", "audio_embeddings.weight"},
    // The depth decoder's own code embeddings (tied to the backbone's unless
    // tie_codebooks_embeddings is false); the current spelling, then convert_csm.py's first one.
    {"depth_decoder.model.embed_tokens.weight", "decoder_audio_embeddings.weight"},
    {"depth_decoder.model.embed_tokens.embed_audio_tokens.weight", "decoder_audio_embeddings.weight"},
    {"lm_head.weight", "codebook0_head.weight"},
    {"depth_decoder.codebooks_head.weight", "audio_head"},
    {"depth_decoder.model.inputs_embeds_projector.weight", "projection.weight"},
    {"backbone_model.norm.weight", "backbone.norm.scale"},
    {"depth_decoder.model.norm.weight", "decoder.norm.scale"},
};
const std::vector<std::pair<std::string, std::string>> kLayerPrefixes = {
    {"backbone_model.layers.", "backbone.layers."},
    {"depth_decoder.model.layers.", "decoder.layers."},
};

// Renames by the tables in one direction: `from` → `to` is 0 → 1 (transformers → original) or
// 1 → 0. A name the tables do not cover comes back unchanged.
std::string renameTensor(const std::string& name, int from, int to) {
    auto side = [](const std::pair<std::string, std::string>& p, int i) -> const std::string& { return i == 0 ? p.first : p.second; };
    for (const auto& whole : kWholeNames)
        if (name == side(whole, from))
            return side(whole, to);
    static const std::regex kLayer(R"(^(.*?)(\d+)\.(.+)$)");
    std::smatch m;
    if (!std::regex_match(name, m, kLayer))
        return name;
    for (const auto& prefix : kLayerPrefixes) {
        if (m[1].str() != side(prefix, from))
            continue;
        for (const auto& part : kLayerParts)
            if (m[3].str() == side(part, from))
                return side(prefix, to) + m[2].str() + "." + side(part, to);
    }
    return name;
}

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The transformers checkpoint under the original names, q/k rows put back.
Tensors fromTransformers(const Tensors& file, const CsmConfig& config, const QString& source) {
    Tensors out;
    int skipped = 0;
    for (const auto& [name, tensor] : file) {
        if (name.rfind("codec_model.", 0) == 0) {
            ++skipped;   // CsmForConditionalGeneration's own Mimi; ours is loaded from mimi/
            continue;
        }
        const std::string ours = renameTensor(name, 0, 1);
        if (!out.emplace(ours, tensor).second)
            throw Error(QStringLiteral("The weights file %1 does not fit this model: it holds \"%2\" twice, under two spellings.")
                            .arg(source, QString::fromStdString(ours)));
    }
    if (skipped > 0)
        logger(LogArea::Model)->info("{}: {} tensors of the bundled Mimi codec (codec_model.*) are not used", source, skipped);

    // Both transformers' ties (v4 _tie_or_clone_weights, v5 _tied_weights_keys) make the
    // backbone's code embeddings the depth decoder's tensor; save_pretrained may keep either.
    if (const auto decoderTable = out.find("decoder_audio_embeddings.weight"); config.tieCodebookEmbeddings && decoderTable != out.end()) {
        const torch::Tensor table = decoderTable->second;
        out.erase(decoderTable);
        out["audio_embeddings.weight"] = table;
    }

    for (auto& [name, tensor] : out) {
        const bool backbone = name.rfind("backbone.", 0) == 0, decoder = name.rfind("decoder.", 0) == 0;
        const bool q = endsWith(name, ".attn.q_proj.weight"), k = endsWith(name, ".attn.k_proj.weight");
        if (!(backbone || decoder) || !(q || k))
            continue;
        const LlamaConfig& c = backbone ? config.backbone : config.decoder;
        const int64_t heads = q ? c.heads : c.kvHeads;
        if (tensor.dim() == 2 && tensor.size(0) == heads * c.headDim)   // else take() names the shape
            tensor = unpermuteRopeRows(tensor, heads, c.headDim);
    }
    return out;
}

} // namespace

torch::Tensor unpermuteRopeRows(const torch::Tensor& w, int64_t heads, int64_t headDim) {
    // convert_csm.py: view(heads, hd/2, 2, in).transpose(1, 2) made row (h, c, i) of (h, i, c);
    // the inverse views (heads, 2, hd/2, in) and swaps back.
    const int64_t in = w.size(1);
    return w.reshape({heads, 2, headDim / 2, in}).transpose(1, 2).reshape({heads * headDim, in}).contiguous();
}

WeightSet openCsmWeights(const QString& path, const CsmConfig& config) {
    const auto files = openCheckpoint(path);
    if (files.size() == 1 && detectCsmWeightFormat(files) == CsmWeightFormat::Original)
        return WeightSet(files.front());
    Tensors tensors;
    for (const auto& file : files)
        for (const auto& entry : file->entries())
            tensors.emplace(entry.name, tensorFrom(file, entry));
    if (detectCsmWeightFormat(files) == CsmWeightFormat::Original)
        return WeightSet(std::move(tensors), path);
    auto translated = fromTransformers(tensors, config, path);
    return WeightSet(std::move(translated), path, [](const std::string& ours) { return renameTensor(ours, 1, 0); });
}

} // namespace echoforge
