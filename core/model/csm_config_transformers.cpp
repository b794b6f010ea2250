#include "core/model/csm_config_transformers.h"

#include <climits>
#include <cmath>
#include <cstdint>

#include "core/common/error.h"

namespace echoforge {

namespace {

using nlohmann::json;

[[noreturn]] void badField(const QString& source, const QString& field, const QString& problem) {
    throw Error(QStringLiteral("The model configuration %1 is not usable: \"%2\" %3.").arg(source, field, problem));
}

// The value of `key`, or nullptr when it is missing or null (transformers treats both as "use
// the default").
const json* present(const json& obj, const char* key) {
    const auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

int integer(const json& obj, const char* key, int fallback, const QString& source, const QString& prefix) {
    const json* v = present(obj, key);
    if (!v)
        return fallback;
    // The range is checked before any conversion: get<int>() silently wraps a larger integer
    // (4294967297 layers would read as 1), and a double outside int's range converts with
    // undefined behaviour (fuzz_csm_config_transformers).
    const auto tooLarge = [&] { badField(source, prefix + QString::fromLatin1(key), QStringLiteral("is too large")); };
    if (v->is_number_unsigned()) {
        if (v->get<std::uint64_t>() > std::uint64_t(INT_MAX))
            tooLarge();
        return int(v->get<std::uint64_t>());
    }
    if (v->is_number_integer()) {
        const std::int64_t n = v->get<std::int64_t>();
        if (n < INT_MIN || n > INT_MAX)
            tooLarge();
        return int(n);
    }
    // json written by Python may hold 2048.0; a whole number is still an integer there.
    if (v->is_number_float() && std::trunc(v->get<double>()) == v->get<double>()) {
        const double d = v->get<double>();
        if (d < double(INT_MIN) || d > double(INT_MAX))
            tooLarge();
        return int(d);
    }
    badField(source, prefix + QString::fromLatin1(key), QStringLiteral("is not an integer"));
}

double number(const json& obj, const char* key, double fallback, const QString& source, const QString& prefix) {
    const json* v = present(obj, key);
    if (!v)
        return fallback;
    if (!v->is_number())
        badField(source, prefix + QString::fromLatin1(key), QStringLiteral("is not a number"));
    return v->get<double>();
}

double requiredNumber(const json& obj, const char* key, const QString& source, const QString& prefix) {
    if (!present(obj, key))
        badField(source, prefix + QString::fromLatin1(key), QStringLiteral("is missing (the llama3 RoPE scaling needs it)"));
    return number(obj, key, 0, source, prefix);
}

// transformers' rope_scaling (v4: beside "rope_theta") or rope_parameters (v5: holds
// "rope_theta" too). modeling_rope_utils.py: "default" is no scaling; "type" is the old
// spelling of "rope_type".
RopeConfig ropeFrom(const json& obj, const QString& source, const QString& prefix) {
    RopeConfig rope;
    rope.scaling = RopeScaling::None;
    rope.base = number(obj, "rope_theta", 500'000, source, prefix);
    const char* key = present(obj, "rope_parameters") ? "rope_parameters" : "rope_scaling";
    const json* scaling = present(obj, key);
    if (!scaling)
        return rope;
    const QString p = prefix + QString::fromLatin1(key) + '.';
    if (!scaling->is_object())
        badField(source, prefix + QString::fromLatin1(key), QStringLiteral("is not a JSON object"));
    rope.base = number(*scaling, "rope_theta", rope.base, source, p);
    const json* type = present(*scaling, "rope_type") ? present(*scaling, "rope_type") : present(*scaling, "type");
    const std::string name = type && type->is_string() ? type->get<std::string>() : std::string("default");
    if (name == "default")
        return rope;
    rope.scaleFactor = requiredNumber(*scaling, "factor", source, p);
    if (name == "linear") {
        rope.scaling = RopeScaling::Linear;
    } else if (name == "llama3") {
        rope.scaling = RopeScaling::Llama3;
        rope.lowFreqFactor = requiredNumber(*scaling, "low_freq_factor", source, p);
        rope.highFreqFactor = requiredNumber(*scaling, "high_freq_factor", source, p);
        rope.oldContextLen = requiredNumber(*scaling, "original_max_position_embeddings", source, p);
    } else {
        badField(source, p + QStringLiteral("rope_type"),
                 QStringLiteral("is \"%1\"; EchoForge computes \"default\", \"linear\" and \"llama3\"").arg(QString::fromStdString(name)));
    }
    return rope;
}

// The parts of a transformers Llama block our port computes: SiLU MLP, no biases.
void requireOurArchitecture(const json& obj, const QString& source, const QString& prefix) {
    if (const json* act = present(obj, "hidden_act"); act && !(act->is_string() && act->get<std::string>() == "silu"))
        badField(source, prefix + QStringLiteral("hidden_act"), QStringLiteral("must be \"silu\""));
    for (const char* key : {"attention_bias", "mlp_bias"})
        if (const json* v = present(obj, key); v && !(v->is_boolean() && !v->get<bool>()))
            badField(source, prefix + QString::fromLatin1(key), QStringLiteral("must be false: CSM has no biases"));
}

struct LlamaDefaults {
    int layers, dim, heads, kvHeads, intermediate, maxSeqLen;
};

// One transformers Llama config (CsmConfig's own fields, or depth_decoder_config's).
LlamaConfig llamaFrom(const json& obj, const LlamaDefaults& d, const QString& source, const QString& prefix) {
    requireOurArchitecture(obj, source, prefix);
    LlamaConfig c;
    c.layers = integer(obj, "num_hidden_layers", d.layers, source, prefix);
    c.dim = integer(obj, "hidden_size", d.dim, source, prefix);
    c.heads = integer(obj, "num_attention_heads", d.heads, source, prefix);
    // configuration_csm.py: a missing num_key_value_heads takes the default, a null one means
    // as many as the query heads.
    const auto kv = obj.find("num_key_value_heads");
    c.kvHeads = kv != obj.end() && kv->is_null() ? c.heads : integer(obj, "num_key_value_heads", d.kvHeads, source, prefix);
    c.headDim = integer(obj, "head_dim", c.heads > 0 ? c.dim / c.heads : 0, source, prefix);
    c.intermediate = integer(obj, "intermediate_size", d.intermediate, source, prefix);
    c.maxSeqLen = integer(obj, "max_position_embeddings", d.maxSeqLen, source, prefix);
    c.normEps = number(obj, "rms_norm_eps", 1e-5, source, prefix);
    c.rope = ropeFrom(obj, source, prefix);
    return c;
}

} // namespace

bool isTransformersCsmConfig(const json& root) {
    const auto type = root.find("model_type");
    if (type != root.end())
        return type->is_string() && type->get<std::string>() == "csm";
    return root.contains("depth_decoder_config") || root.contains("hidden_size");
}

CsmConfig csmConfigFromTransformers(const json& root, const QString& source) {
    // configuration_csm.py CsmConfig / CsmDepthDecoderConfig defaults (csm-1b).
    CsmConfig c;
    c.backbone = llamaFrom(root, {16, 2048, 32, 8, 8192, 2048}, source, {});
    static const json kNoDecoderConfig = json::object();
    const json* decoder = present(root, "depth_decoder_config");
    if (decoder && !decoder->is_object())
        badField(source, QStringLiteral("depth_decoder_config"), QStringLiteral("is not a JSON object"));
    const json& d = decoder ? *decoder : kNoDecoderConfig;
    const QString dp = QStringLiteral("depth_decoder_config.");
    c.decoder = llamaFrom(d, {4, 1024, 8, 2, 8192, 33}, source, dp);
    c.textVocabSize = integer(root, "text_vocab_size", 128'256, source, {});
    c.audioVocabSize = integer(root, "vocab_size", 2051, source, {});
    c.audioNumCodebooks = integer(root, "num_codebooks", 32, source, {});
    if (const json* tie = present(root, "tie_codebooks_embeddings")) {
        if (!tie->is_boolean())
            badField(source, QStringLiteral("tie_codebooks_embeddings"), QStringLiteral("is not true or false"));
        c.tieCodebookEmbeddings = tie->get<bool>();
    }
    // The depth decoder repeats three of the backbone's numbers; they must agree.
    const auto agree = [&](const char* key, int expected, int fallback) {
        const int value = integer(d, key, fallback, source, dp);
        if (value != expected)
            badField(source, dp + QString::fromLatin1(key), QStringLiteral("is %1 but the backbone's is %2").arg(value).arg(expected));
    };
    agree("num_codebooks", c.audioNumCodebooks, 32);
    agree("vocab_size", c.audioVocabSize, 2051);
    agree("backbone_hidden_size", c.backbone.dim, 2048);
    c.validate(source);
    return c;
}

} // namespace echoforge
