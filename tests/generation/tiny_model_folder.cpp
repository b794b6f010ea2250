#include "tiny_model_folder.h"

#include <cmath>
#include <random>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/common/model_layout.h"
#include "core/model/safetensors_writer.h"

namespace echoforge::testing {
namespace {

struct Llama {
    int layers, dim, heads, kvHeads, intermediate;
};

constexpr Llama kBackbone{2, 64, 4, 2, 128};
constexpr Llama kDecoder{2, 32, 4, 2, 64};

class RandomTensors {
public:
    explicit RandomTensors(unsigned seed) : rng_(seed) {}

    void add(const std::string& name, std::vector<int64_t> shape, double stddev, double mean = 0.0) {
        std::size_t n = 1;
        for (int64_t d : shape)
            n *= std::size_t(d);
        QByteArray bytes(qsizetype(n * sizeof(float)), Qt::Uninitialized);
        auto* values = reinterpret_cast<float*>(bytes.data());
        std::normal_distribution<float> normal{float(mean), float(stddev)};
        for (std::size_t i = 0; i < n; ++i)
            values[i] = normal(rng_);
        tensors_.push_back({name, TensorDType::F32, std::move(shape), std::move(bytes)});
    }
    // A weight of shape [out, in] scaled so activations keep their size.
    void linear(const std::string& name, int64_t out, int64_t in) { add(name, {out, in}, 1.0 / std::sqrt(double(in))); }

    void transformer(const std::string& prefix, const Llama& l) {
        const int headDim = l.dim / l.heads;
        for (int i = 0; i < l.layers; ++i) {
            const std::string p = prefix + ".layers." + std::to_string(i) + ".";
            linear(p + "attn.q_proj.weight", l.heads * headDim, l.dim);
            linear(p + "attn.k_proj.weight", l.kvHeads * headDim, l.dim);
            linear(p + "attn.v_proj.weight", l.kvHeads * headDim, l.dim);
            linear(p + "attn.output_proj.weight", l.dim, l.heads * headDim);
            add(p + "sa_norm.scale", {l.dim}, 0.1, 1.0);
            linear(p + "mlp.w1.weight", l.intermediate, l.dim);
            linear(p + "mlp.w2.weight", l.dim, l.intermediate);
            linear(p + "mlp.w3.weight", l.intermediate, l.dim);
            add(p + "mlp_norm.scale", {l.dim}, 0.1, 1.0);
        }
        add(prefix + ".norm.scale", {l.dim}, 0.1, 1.0);
    }

    const std::vector<TensorToWrite>& tensors() const { return tensors_; }

private:
    std::mt19937 rng_;
    std::vector<TensorToWrite> tensors_;
};

QJsonObject llamaJson(const Llama& l, int window) {
    return {{"layers", l.layers}, {"dim", l.dim}, {"heads", l.heads}, {"kv_heads", l.kvHeads},
            {"intermediate", l.intermediate}, {"max_seq_len", window}};
}

bool writeJson(const QString& path, const QJsonObject& object) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(QJsonDocument(object).toJson()) > 0;
}

} // namespace

QString writeTinyModelFolder(const QString& dir, const TinyModelSpec& spec) {
    const QDir root(dir);
    for (const char* sub : {"csm", "mimi", "tokenizer"})
        if (!root.mkpath(sub))
            return QStringLiteral("cannot make %1/%2").arg(dir, sub);

    RandomTensors csm(spec.seed);
    const int K = spec.numCodebooks;
    csm.add("text_embeddings.weight", {spec.textVocab, kBackbone.dim}, 1.0);
    csm.add("audio_embeddings.weight", {int64_t(spec.audioVocab) * K, kBackbone.dim}, 1.0);
    csm.linear("projection.weight", kDecoder.dim, kBackbone.dim);
    csm.linear("codebook0_head.weight", spec.audioVocab, kBackbone.dim);
    csm.add("audio_head", {K - 1, kDecoder.dim, spec.audioVocab}, 1.0 / std::sqrt(double(kDecoder.dim)));
    csm.transformer("backbone", kBackbone);
    csm.transformer("decoder", kDecoder);
    try {
        writeSafetensors(root.filePath("csm/model.safetensors"), csm.tensors());
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    const QJsonObject config{{"backbone", llamaJson(kBackbone, spec.window)},
                             {"decoder", llamaJson(kDecoder, spec.window)},
                             {"text_vocab_size", spec.textVocab},
                             {"audio_vocab_size", spec.audioVocab},
                             {"audio_num_codebooks", K},
                             {"rope_base", 500000}, {"rope_scale_factor", 32}, {"rope_low_freq_factor", 1},
                             {"rope_high_freq_factor", 4}, {"rope_old_context_len", 8192}, {"norm_eps", 1e-5}};
    if (!writeJson(root.filePath("csm/config.json"), config))
        return QStringLiteral("cannot write csm/config.json");

    const QString golden = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A/");
    // The published spelling of the attention weights, as a user's download has it.
    if (!QFile::copy(golden + "mimi_model_published_names.safetensors",
                     root.filePath("mimi/tokenizer-e351c8d8-checkpoint125.safetensors")) ||
        !QFile::copy(golden + "mimi_config.json", root.filePath("mimi/config.json")))
        return QStringLiteral("cannot copy the golden tiny Mimi");

    const QString tokenizer = findTokenizerJson(QString());
    if (tokenizer.isEmpty() || !QFile::copy(tokenizer, root.filePath("tokenizer/tokenizer.json")))
        return QStringLiteral("the Llama 3 tokenizer.json was not fetched into the build tree");
    return {};
}

} // namespace echoforge::testing
