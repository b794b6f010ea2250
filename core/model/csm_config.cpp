#include "core/model/csm_config.h"

#include <climits>
#include <cmath>
#include <cstdint>

#include <QFile>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/model/csm_config_transformers.h"

namespace echoforge {

namespace {

using nlohmann::json;

[[noreturn]] void badField(const QString& source, const QString& field, const QString& problem) {
    throw Error(QStringLiteral("The model configuration %1 is not usable: \"%2\" %3.").arg(source, field, problem));
}

int intField(const json& obj, const char* key, const QString& source, const QString& prefix, int fallback, bool required) {
    const auto it = obj.find(key);
    if (it == obj.end()) {
        if (required)
            badField(source, prefix + QString::fromLatin1(key), QStringLiteral("is missing"));
        return fallback;
    }
    if (!it->is_number_integer())
        badField(source, prefix + QString::fromLatin1(key), QStringLiteral("is not an integer"));
    // get<int>() would silently wrap a larger integer into some other size.
    const bool fits = it->is_number_unsigned() ? it->get<std::uint64_t>() <= std::uint64_t(INT_MAX)
                                               : it->get<std::int64_t>() >= INT_MIN && it->get<std::int64_t>() <= INT_MAX;
    if (!fits)
        badField(source, prefix + QString::fromLatin1(key), QStringLiteral("is too large"));
    return it->get<int>();
}

double numberField(const json& obj, const char* key, const QString& source, double fallback) {
    const auto it = obj.find(key);
    if (it == obj.end())
        return fallback;
    if (!it->is_number())
        badField(source, QString::fromLatin1(key), QStringLiteral("is not a number"));
    // JSON has no NaN, but a literal such as 1e999 reads as infinity.
    if (!std::isfinite(it->get<double>()))
        badField(source, QString::fromLatin1(key), QStringLiteral("is not a finite number"));
    return it->get<double>();
}

LlamaConfig llamaFrom(const json& obj, const QString& source, const QString& name) {
    if (!obj.is_object())
        badField(source, name, QStringLiteral("is not a JSON object"));
    const QString prefix = name + '.';
    LlamaConfig c;
    c.layers = intField(obj, "layers", source, prefix, 0, true);
    c.dim = intField(obj, "dim", source, prefix, 0, true);
    c.heads = intField(obj, "heads", source, prefix, 0, true);
    c.kvHeads = intField(obj, "kv_heads", source, prefix, c.heads, false);
    c.headDim = intField(obj, "head_dim", source, prefix, c.heads > 0 ? c.dim / c.heads : 0, false);
    c.intermediate = intField(obj, "intermediate", source, prefix, 0, true);
    c.maxSeqLen = intField(obj, "max_seq_len", source, prefix, 2048, false);
    return c;
}

void validateLlama(const LlamaConfig& c, const QString& source, const QString& name) {
    auto positive = [&](int v, const char* field) {
        if (v <= 0)
            badField(source, name + '.' + QString::fromLatin1(field), QStringLiteral("must be positive, not %1").arg(v));
    };
    positive(c.layers, "layers");
    positive(c.dim, "dim");
    positive(c.heads, "heads");
    positive(c.kvHeads, "kv_heads");
    positive(c.intermediate, "intermediate");
    positive(c.maxSeqLen, "max_seq_len");
    // Far above any Llama (3.1 405B: 126 layers, dim 16384, 128 heads, intermediate 53248, 128k
    // positions), and low enough that parameterCount() and the tensor sizes computed from these
    // numbers cannot overflow int64 (a dim near INT_MAX did: fuzz_csm_config_transformers).
    auto atMost = [&](int v, int limit, const char* field) {
        if (v > limit)
            badField(source, name + '.' + QString::fromLatin1(field), QStringLiteral("is %1, more than EchoForge allows (%2)").arg(v).arg(limit));
    };
    atMost(c.layers, 1024, "layers");
    atMost(c.dim, 1 << 16, "dim");
    atMost(c.heads, 1 << 12, "heads");
    atMost(c.headDim, 1 << 12, "head_dim");
    atMost(c.intermediate, 1 << 20, "intermediate");
    atMost(c.maxSeqLen, 1 << 20, "max_seq_len");
    if (c.heads % c.kvHeads != 0)
        badField(source, name + ".kv_heads", QStringLiteral("must divide heads (%1), not %2").arg(c.heads).arg(c.kvHeads));
    // transformers may give head_dim apart from dim / heads; the attention only needs it even
    // (RoPE rotates pairs).
    if (c.headDim <= 0 || c.headDim % 2 != 0)
        badField(source, name + ".head_dim", QStringLiteral("must be positive and even, not %1").arg(c.headDim));
    const bool llama3 = c.rope.scaling == RopeScaling::Llama3;
    if (!(c.normEps > 0) || !(c.rope.base > 1) || !(c.rope.scaleFactor > 0) ||
        (llama3 && !(c.rope.highFreqFactor > c.rope.lowFreqFactor && c.rope.lowFreqFactor > 0 && c.rope.oldContextLen > 0)))
        badField(source, name + ".rope", QStringLiteral("has a non-positive base, eps or scale, or high_freq_factor <= low_freq_factor"));
}

} // namespace

int64_t LlamaConfig::parameterCount() const {
    const int64_t kvDim = int64_t(kvHeads) * headDim;
    const int64_t attention = int64_t(dim) * dim * 2 + kvDim * dim * 2;   // q, output; k, v
    const int64_t mlp = int64_t(3) * intermediate * dim;                  // w1, w2, w3
    const int64_t norms = int64_t(2) * dim;                               // sa_norm, mlp_norm
    return layers * (attention + mlp + norms) + dim;                      // + final norm
}

LlamaConfig CsmConfig::flavor(const QString& name) {
    // models.py llama3_2_1B() and llama3_2_100M()
    LlamaConfig c;
    c.maxSeqLen = 2048;
    c.intermediate = 8192;
    if (name == QLatin1String("llama-1B")) {
        c.layers = 16, c.dim = 2048, c.heads = 32, c.kvHeads = 8;
    } else if (name == QLatin1String("llama-100M")) {
        c.layers = 4, c.dim = 1024, c.heads = 8, c.kvHeads = 2;
    } else {
        throw Error(QStringLiteral("Unknown CSM transformer flavour \"%1\": expected \"llama-1B\" or \"llama-100M\".").arg(name));
    }
    c.headDim = c.dim / c.heads;
    return c;
}

CsmConfig CsmConfig::csm1b() {
    CsmConfig c;
    c.backbone = flavor(QStringLiteral("llama-1B"));
    c.decoder = flavor(QStringLiteral("llama-100M"));
    c.textVocabSize = 128'256;
    c.audioVocabSize = 2051;
    c.audioNumCodebooks = 32;
    return c;
}

CsmConfig CsmConfig::fromJsonFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read the model configuration %1: %2.").arg(path, file.errorString()));
    return fromJson(file.readAll(), path);
}

CsmConfig CsmConfig::fromJson(const QByteArray& text, const QString& source) {
    const json root = json::parse(text.constData(), text.constData() + text.size(), nullptr, false);
    if (root.is_discarded() || !root.is_object())
        throw Error(QStringLiteral("The model configuration %1 is not a JSON object.").arg(source));
    if (isTransformersCsmConfig(root))
        return csmConfigFromTransformers(root, source);
    CsmConfig c;
    auto flavorField = [&](const char* key) {
        const auto it = root.find(key);
        if (!it->is_string())
            badField(source, QString::fromLatin1(key), QStringLiteral("is not a string"));
        try {
            return flavor(QString::fromStdString(it->get<std::string>()));
        } catch (const Error& e) {   // the flavour's own sentence does not say which file
            badField(source, QString::fromLatin1(key), QStringLiteral("is not usable: %1").arg(e.sentence()));
        }
    };
    if (root.contains("backbone_flavor") || root.contains("decoder_flavor")) {   // published form
        if (!root.contains("backbone_flavor") || !root.contains("decoder_flavor"))
            badField(source, QStringLiteral("backbone_flavor"), QStringLiteral("and \"decoder_flavor\" must both be given"));
        c.backbone = flavorField("backbone_flavor");
        c.decoder = flavorField("decoder_flavor");
    } else {
        if (!root.contains("backbone") || !root.contains("decoder"))
            badField(source, QStringLiteral("backbone"), QStringLiteral("and \"decoder\" (or the flavour names) are missing"));
        c.backbone = llamaFrom(root["backbone"], source, QStringLiteral("backbone"));
        c.decoder = llamaFrom(root["decoder"], source, QStringLiteral("decoder"));
    }
    c.textVocabSize = intField(root, "text_vocab_size", source, {}, 0, true);
    c.audioVocabSize = intField(root, "audio_vocab_size", source, {}, 0, true);
    c.audioNumCodebooks = intField(root, "audio_num_codebooks", source, {}, 0, true);
    for (LlamaConfig* t : {&c.backbone, &c.decoder}) {
        t->normEps = numberField(root, "norm_eps", source, t->normEps);
        t->rope.base = numberField(root, "rope_base", source, t->rope.base);
        t->rope.scaleFactor = numberField(root, "rope_scale_factor", source, t->rope.scaleFactor);
        t->rope.lowFreqFactor = numberField(root, "rope_low_freq_factor", source, t->rope.lowFreqFactor);
        t->rope.highFreqFactor = numberField(root, "rope_high_freq_factor", source, t->rope.highFreqFactor);
        t->rope.oldContextLen = numberField(root, "rope_old_context_len", source, t->rope.oldContextLen);
    }
    c.validate(source);
    return c;
}

void CsmConfig::validate(const QString& source) const {
    validateLlama(backbone, source, QStringLiteral("backbone"));
    validateLlama(decoder, source, QStringLiteral("decoder"));
    if (textVocabSize <= 0)
        badField(source, QStringLiteral("text_vocab_size"), QStringLiteral("must be positive"));
    if (audioVocabSize <= 0)
        badField(source, QStringLiteral("audio_vocab_size"), QStringLiteral("must be positive"));
    if (audioNumCodebooks < 2)
        badField(source, QStringLiteral("audio_num_codebooks"), QStringLiteral("must be at least 2"));
    if (decoder.maxSeqLen < audioNumCodebooks)
        badField(source, QStringLiteral("decoder.max_seq_len"), QStringLiteral("must hold one position per codebook"));
}

} // namespace echoforge
