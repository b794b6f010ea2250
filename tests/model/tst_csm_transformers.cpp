// The Hugging Face transformers format of CSM (golden/A-transformers, made from set A by
// transformers' convert_csm.py): it must compute set A's cases, in one file and in shards, with
// every tensor equal to set A's after the names and the q/k rows are put back; its config.json
// must read as set A's; and a broken index or checkpoint must be named in a sentence.

#include <algorithm>
#include <cmath>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/model/checkpoint_files.h"
#include "core/model/conformance.h"
#include "core/model/csm.h"
#include "core/model/csm_checkpoint.h"
#include "core/model/safetensors_writer.h"

using namespace echoforge;

namespace {

const QString kSetA = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A");
const QString kSetHf = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A-transformers");

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// The tensors of a file, as the writer takes them back.
std::vector<TensorToWrite> tensorsOf(const QString& path) {
    const auto file = SafetensorsFile::open(path);
    std::vector<TensorToWrite> out;
    for (const auto& e : file->entries())
        out.push_back({e.name, e.dtype, e.shape, QByteArray(reinterpret_cast<const char*>(file->data(e)), qsizetype(e.bytes))});
    return out;
}

// A-transformers' tensors in `shards` files and their index, plus its config and cases.
void writeSharded(const QString& dir, int shards, std::vector<TensorToWrite> tensors = tensorsOf(kSetHf + "/model.safetensors")) {
    nlohmann::json weightMap = nlohmann::json::object();
    std::vector<std::vector<TensorToWrite>> parts(static_cast<std::size_t>(shards));
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const std::size_t shard = i * std::size_t(shards) / tensors.size();
        weightMap[tensors[i].name] = QStringLiteral("model-%1-of-%2.safetensors").arg(shard + 1, 5, 10, QChar('0')).arg(shards, 5, 10, QChar('0')).toStdString();
        parts[shard].push_back(std::move(tensors[i]));
    }
    for (std::size_t s = 0; s < parts.size(); ++s)
        writeSafetensors(QDir(dir).filePath(QStringLiteral("model-%1-of-%2.safetensors").arg(s + 1, 5, 10, QChar('0')).arg(shards, 5, 10, QChar('0'))), parts[s]);
    const nlohmann::json index = {{"metadata", {{"total_size", 866000}}}, {"weight_map", weightMap}};
    QVERIFY(writeFile(QDir(dir).filePath("model.safetensors.index.json"), QByteArray::fromStdString(index.dump(1))));
    for (const char* f : {"config.json", "csm_cases.safetensors"})
        QVERIFY(QFile::copy(kSetHf + '/' + f, QDir(dir).filePath(f)));
}

void expectAllPass(const std::vector<ConformanceCase>& results) {
    QVERIFY(results.size() >= 5);   // the five outputs of csm_cases (golden README)
    for (const auto& c : results)
        QVERIFY2(c.passed, qPrintable(conformanceLine(c)));
}

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.sentence();
    }
    return {};
}

CsmConfig hfConfig() { return CsmConfig::fromJsonFile(kSetHf + "/config.json"); }

} // namespace

class TestCsmTransformers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void configReadsAsSetA() {
        const CsmConfig hf = hfConfig(), a = CsmConfig::fromJsonFile(kSetA + "/csm_config.json");
        for (auto [x, y] : {std::pair{&hf.backbone, &a.backbone}, std::pair{&hf.decoder, &a.decoder}}) {
            QCOMPARE(x->layers, y->layers);
            QCOMPARE(x->dim, y->dim);
            QCOMPARE(x->heads, y->heads);
            QCOMPARE(x->kvHeads, y->kvHeads);
            QCOMPARE(x->headDim, y->headDim);
            QCOMPARE(x->intermediate, y->intermediate);
            QCOMPARE(x->maxSeqLen, y->maxSeqLen);
            QCOMPARE(x->normEps, y->normEps);
            QVERIFY(x->rope.scaling == RopeScaling::Llama3);
            QCOMPARE(x->rope.base, y->rope.base);
            QCOMPARE(x->rope.scaleFactor, y->rope.scaleFactor);
            QCOMPARE(x->rope.lowFreqFactor, y->rope.lowFreqFactor);
            QCOMPARE(x->rope.highFreqFactor, y->rope.highFreqFactor);
            QCOMPARE(x->rope.oldContextLen, y->rope.oldContextLen);
        }
        QCOMPARE(hf.textVocabSize, a.textVocabSize);
        QCOMPARE(hf.audioVocabSize, a.audioVocabSize);
        QCOMPARE(hf.audioNumCodebooks, a.audioNumCodebooks);
        QVERIFY(hf.tieCodebookEmbeddings);
    }

    // configuration_csm.py's defaults (csm-1b): a config.json naming nothing else.
    void configDefaultsAreTransformers() {
        const auto c = CsmConfig::fromJson(R"({"model_type": "csm"})", "config.json");
        QCOMPARE(c.backbone.layers, 16);
        QCOMPARE(c.backbone.dim, 2048);
        QCOMPARE(c.backbone.kvHeads, 8);
        QCOMPARE(c.backbone.maxSeqLen, 2048);
        QCOMPARE(c.decoder.layers, 4);
        QCOMPARE(c.decoder.dim, 1024);
        QCOMPARE(c.decoder.headDim, 128);
        QCOMPARE(c.decoder.maxSeqLen, 33);
        QCOMPARE(c.textVocabSize, 128256);
        QCOMPARE(c.audioVocabSize, 2051);
        QCOMPARE(c.audioNumCodebooks, 32);
        QVERIFY(c.backbone.rope.scaling == RopeScaling::None);   // rope_scaling defaults to None
        // A null num_key_value_heads means one per query head.
        QCOMPARE(CsmConfig::fromJson(R"({"model_type": "csm", "num_key_value_heads": null})", "c").backbone.kvHeads, 32);
    }

    void configRopeForms() {
        const auto linear = CsmConfig::fromJson(R"({"model_type": "csm", "rope_theta": 10000,
            "rope_scaling": {"type": "linear", "factor": 2.0}})", "c");
        QVERIFY(linear.backbone.rope.scaling == RopeScaling::Linear);
        QCOMPARE(linear.backbone.rope.base, 10000.0);
        QCOMPARE(linear.backbone.rope.scaleFactor, 2.0);
        // transformers v5 keeps theta inside rope_parameters.
        const auto v5 = CsmConfig::fromJson(R"({"model_type": "csm", "rope_parameters": {"rope_type": "llama3",
            "rope_theta": 250000.0, "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
            "original_max_position_embeddings": 4096}})", "c");
        QVERIFY(v5.backbone.rope.scaling == RopeScaling::Llama3);
        QCOMPARE(v5.backbone.rope.base, 250000.0);
        QCOMPARE(v5.backbone.rope.oldContextLen, 4096.0);
        QVERIFY(v5.decoder.rope.scaling == RopeScaling::None);

        // θ_i = base^(−2i/d) without scaling, divided by the factor when linear.
        RotaryEmbedding plain(16, 4, linear.decoder.rope), scaled(16, 4, linear.backbone.rope);
        for (int i = 0; i < 8; ++i) {
            const double expected = std::pow(500000.0, -2.0 * i / 16);
            QVERIFY(std::abs(plain.theta()[i].item<double>() - expected) <= 1e-6 * expected);
            QVERIFY(std::abs(scaled.theta()[i].item<double>() - std::pow(10000.0, -2.0 * i / 16) / 2) <= 1e-6);
        }
    }

    void configRefusesWhatWeCannotCompute_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("named");
        QTest::newRow("yarn") << R"({"model_type": "csm", "rope_scaling": {"rope_type": "yarn", "factor": 4}})" << "rope_scaling.rope_type";
        QTest::newRow("llama3 without factors") << R"({"model_type": "csm", "rope_scaling": {"rope_type": "llama3", "factor": 32}})" << "low_freq_factor";
        QTest::newRow("gelu") << R"({"model_type": "csm", "hidden_act": "gelu"})" << "hidden_act";
        QTest::newRow("biases") << R"({"model_type": "csm", "depth_decoder_config": {"mlp_bias": true}})" << "depth_decoder_config.mlp_bias";
        QTest::newRow("decoder disagrees") << R"({"model_type": "csm", "num_codebooks": 16})" << "depth_decoder_config.num_codebooks";
        QTest::newRow("odd head") << R"({"model_type": "csm", "head_dim": 63})" << "head_dim";
        QTest::newRow("string layers") << R"({"model_type": "csm", "num_hidden_layers": "16"})" << "num_hidden_layers";
        // fuzz_csm_config_transformers: get<int>() read 4294967297 as 1, and a double beyond int
        // converted with undefined behaviour; sizes near INT_MAX overflowed parameterCount().
        QTest::newRow("integer beyond int") << R"({"model_type": "csm", "num_hidden_layers": 4294967297})" << "num_hidden_layers";
        QTest::newRow("float beyond int") << R"({"model_type": "csm", "hidden_size": 1e100})" << "hidden_size";
        QTest::newRow("dim beyond any model") << R"({"model_type": "csm", "hidden_size": 2147483646, "num_attention_heads": 1,
            "num_key_value_heads": 1, "depth_decoder_config": {"backbone_hidden_size": 2147483646}})" << "backbone.dim";
    }
    void configRefusesWhatWeCannotCompute() {
        QFETCH(QString, json);
        QFETCH(QString, named);
        const QString why = errorOf([&] { CsmConfig::fromJson(json.toUtf8(), "config.json"); });
        QVERIFY2(why.contains("config.json") && why.contains(named), qPrintable(why));
    }

    // Every tensor, renamed and with q/k rows put back, equals set A's: the permutation undone
    // exactly, checked against the original checkpoint rather than against our own code.
    void tensorsEqualSetA() {
        c10::InferenceMode inference;
        WeightSet hf = openCsmWeights(kSetHf + "/model.safetensors", hfConfig());
        const auto original = SafetensorsFile::open(kSetA + "/csm_model.safetensors");
        for (const auto& e : original->entries()) {
            const auto expected = tensorFrom(original, e);
            const auto got = hf.take(e.name, expected.sizes());
            QVERIFY2(torch::equal(got, expected), e.name.c_str());
        }
        hf.finish();   // nothing left over (the decoder's tied copy of the embeddings included)
    }

    void conformanceOneFile() { expectAllPass(runCsmConformance(kSetHf)); }

    void conformanceShards() {
        QTemporaryDir dir;
        writeSharded(dir.path(), 3);
        QCOMPARE(checkpointShards(dir.filePath("model.safetensors.index.json")).size(), 3);
        expectAllPass(runCsmConformance(dir.path()));
    }

    // The bundled Mimi of CsmForConditionalGeneration is not CSM's: skipped, not refused.
    void codecTensorsAreSkipped() {
        auto tensors = tensorsOf(kSetHf + "/model.safetensors");
        tensors.push_back({"codec_model.encoder.layers.0.conv.weight", TensorDType::F32, {2}, QByteArray(8, '\0')});
        QTemporaryDir dir;
        writeSafetensors(dir.filePath("model.safetensors"), tensors);
        QVERIFY(QFile::copy(kSetHf + "/config.json", dir.filePath("config.json")));
        QVERIFY(QFile::copy(kSetHf + "/csm_cases.safetensors", dir.filePath("csm_cases.safetensors")));
        expectAllPass(runCsmConformance(dir.path()));
    }

    // tie_codebooks_embeddings false: the decoder reads its own table, the backbone its own.
    void untiedDecoderEmbeddings() {
        c10::InferenceMode inference;
        auto tensors = tensorsOf(kSetHf + "/model.safetensors");
        for (auto& t : tensors)
            if (t.name == "depth_decoder.model.embed_tokens.weight")
                for (qsizetype i = 0; i < t.bytes.size(); i += 4)
                    reinterpret_cast<float*>(t.bytes.data())[i / 4] *= 2;
        QTemporaryDir dir;
        writeSafetensors(dir.filePath("model.safetensors"), tensors);
        CsmConfig config = hfConfig();
        config.tieCodebookEmbeddings = false;
        WeightSet weights = openCsmWeights(dir.filePath("model.safetensors"), config);
        CsmNetwork net(config, weights, WeightPrecision::Float32);
        const auto a = loadTensors(kSetA + "/csm_model.safetensors").at("audio_embeddings.weight");
        const int64_t row = 5 + 3 * config.audioVocabSize;   // code 5 of codebook 3
        QVERIFY(torch::allclose(net.embedAudio(3, 5), a[row] * 2));
        // The backbone's frames still use its own table: a frame with one audio code in column 3.
        auto tokens = torch::zeros({1, config.frameWidth()}, torch::kInt64);
        tokens[0][3] = 5;
        auto mask = torch::zeros({1, config.frameWidth()}, torch::kBool);
        mask[0][3] = true;
        QVERIFY(torch::allclose(net.embedFrames(tokens, mask)[0], a[row]));

        // Untied but without the decoder's table: named as the file would spell it.
        tensors.erase(std::remove_if(tensors.begin(), tensors.end(), [](const TensorToWrite& t) { return t.name == "depth_decoder.model.embed_tokens.weight"; }), tensors.end());
        writeSafetensors(dir.filePath("model.safetensors"), tensors);
        const QString why = errorOf([&] {
            WeightSet w = openCsmWeights(dir.filePath("model.safetensors"), config);
            CsmNetwork n(config, w, WeightPrecision::Float32);
        });
        QVERIFY2(why.contains("depth_decoder.model.embed_tokens.weight"), qPrintable(why));
    }

    void brokenCheckpointsAreNamed_data() {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QString>("named");
        QTest::newRow("missing lm_head") << "drop lm_head.weight" << "lm_head.weight";
        QTest::newRow("unknown tensor") << "add backbone_model.layers.0.self_attn.q_norm.weight" << "backbone_model.layers.0.self_attn.q_norm.weight";
        QTest::newRow("shard outside") << "index ../model-00001-of-00002.safetensors" << "not a file beside the index";
        // fuzz_shard_index: QDir::filePath took ":name" for a Qt resource path, not a file beside the index.
        QTest::newRow("shard named like a resource") << "index :model-00001-of-00002.safetensors" << ":model-00001-of-00002.safetensors";
        QTest::newRow("shard missing") << "remove model-00002-of-00002.safetensors" << "model-00002-of-00002.safetensors";
        QTest::newRow("tensor not in its shard") << "index moves lm_head.weight" << "lm_head.weight";
        QTest::newRow("index not json") << "index garbage" << "weight_map";
    }
    void brokenCheckpointsAreNamed() {
        QFETCH(QString, breakage);
        QFETCH(QString, named);
        QTemporaryDir dir;
        auto tensors = tensorsOf(kSetHf + "/model.safetensors");
        if (breakage.startsWith("drop "))
            tensors.erase(std::remove_if(tensors.begin(), tensors.end(), [&](const TensorToWrite& t) { return t.name == breakage.mid(5).toStdString(); }), tensors.end());
        if (breakage.startsWith("add "))
            tensors.push_back({breakage.mid(4).toStdString(), TensorDType::F32, {16}, QByteArray(64, '\0')});
        writeSharded(dir.path(), 2, tensors);
        const QString index = dir.filePath("model.safetensors.index.json");
        nlohmann::json json = nlohmann::json::parse(readAll(index).toStdString());
        if (breakage.startsWith("index ../") || breakage.startsWith("index :"))
            json["weight_map"]["lm_head.weight"] = breakage.mid(6).toStdString();
        if (breakage == "index moves lm_head.weight")
            json["weight_map"]["lm_head.weight"] = json["weight_map"]["lm_head.weight"] == "model-00001-of-00002.safetensors"
                                                       ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
        QVERIFY(writeFile(index, breakage == "index garbage" ? QByteArray("{\"weight_map\": 3") : QByteArray::fromStdString(json.dump())));
        if (breakage.startsWith("remove "))
            QVERIFY(QFile::remove(dir.filePath(breakage.mid(7))));
        const QString why = errorOf([&] {
            c10::InferenceMode inference;
            const CsmConfig config = hfConfig();
            WeightSet w = openCsmWeights(index, config);
            CsmNetwork n(config, w, WeightPrecision::Float32);
        });
        QVERIFY2(why.contains(named), qPrintable(why));
        QVERIFY2(why.contains(dir.path()), qPrintable(why));   // which checkpoint
    }

    void formatIsDetected() {
        QCOMPARE(detectCsmWeightFormat(openCheckpoint(kSetHf + "/model.safetensors")), CsmWeightFormat::Transformers);
        QCOMPARE(detectCsmWeightFormat(openCheckpoint(kSetA + "/csm_model.safetensors")), CsmWeightFormat::Original);
    }
};

QTEST_GUILESS_MAIN(TestCsmTransformers)
#include "tst_csm_transformers.moc"
