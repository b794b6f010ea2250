// Mimi's configuration and strict weight loading: both attention spellings load, and a file
// with a tensor missing, renamed, misshapen or unknown is refused with the tensor's name.

// torch before any Qt header: Qt's `slots` macro breaks torch headers included after it.
#include <torch/torch.h>

#include "core/codec/mimi/mimi_model.h"
#include "core/common/error.h"
#include "core/model/tensor_loading.h"

#include <QtTest>

using namespace echoforge;
using namespace echoforge::mimi;

namespace {

const QString kGolden = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden");
const QString kSetA = kGolden + "/A";
using Tensors = std::unordered_map<std::string, torch::Tensor>;

Tensors goldenWeights() { return loadTensors(kSetA + "/mimi_model.safetensors"); }
MimiConfig goldenConfig() { return MimiConfig::fromJsonFile(kSetA + "/mimi_config.json"); }

// The sentence MimiModel::load throws for these tensors, or an empty string when it loads.
QString loadError(Tensors tensors) {
    try {
        WeightSet weights(std::move(tensors), QStringLiteral("test.safetensors"));
        MimiModel::load(weights, goldenConfig());
        return {};
    } catch (const Error& e) {
        return e.sentence();
    }
}

QString configError(const std::string& json) {
    try {
        MimiConfig::fromJsonText(json, QStringLiteral("test.json"));
        return {};
    } catch (const Error& e) {
        return e.sentence();
    }
}

const std::string kAttention = "decoder_transformer.transformer.layers.1.self_attn.";

} // namespace

class TestMimiLoading : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void realConfigIsBuiltIn() {
        const MimiConfig fromFile = MimiConfig::fromJsonFile(kGolden + "/mimi_real_config.json");
        const MimiConfig real = MimiConfig::real();
        QCOMPARE(real.sampleRate, 24000);
        QCOMPARE(real.samplesPerFrame(), 1920);
        QCOMPARE(real.encoderFrameRate(), 25.0);
        QCOMPARE(real.quantizer.numCodebooks, 32);
        for (const MimiConfig& c : {fromFile, real}) {
            QCOMPARE(c.seanet.ratios, (std::vector<int>{8, 6, 5, 4}));
            QCOMPARE(c.seanet.nFilters, 64);
            QCOMPARE(c.seanet.dimension, 512);
            QCOMPARE(c.transformer.numLayers, 8);
            QCOMPARE(c.transformer.context, 250);
            QCOMPARE(c.transformer.dimFeedforward, 2048);
            QCOMPARE(c.quantizer.bins, 2048);
            QCOMPARE(c.quantizer.dimension, 256);
        }
        QCOMPARE(fromFile.quantizer.numCodebooks, real.quantizer.numCodebooks);
        QCOMPARE(fromFile.frameRate, real.frameRate);
    }

    void goldenConfigIsRead() {
        const MimiConfig c = goldenConfig();
        QCOMPARE(c.sampleRate, 200);
        QCOMPARE(c.seanet.ratios, (std::vector<int>{4, 2}));
        QCOMPARE(c.seanet.nFilters, 4);
        QCOMPARE(c.samplesPerFrame(), 16);
        QCOMPARE(c.resampleStride(), 2);
        QCOMPARE(c.transformer.numHeads, 2);
        QCOMPARE(c.transformer.context, 8);
        QCOMPARE(c.quantizer.numCodebooks, 8);
        QCOMPARE(c.quantizer.bins, 32);
    }

    void badConfigIsRefused_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("named");
        QTest::newRow("not json") << "{ sample_rate" << "not a JSON object";
        QTest::newRow("no seanet") << R"({"transformer": {}, "quantizer": {}})" << "\"seanet\"";
        QTest::newRow("activation") << R"({"seanet": {"activation": "SiLU"}, "transformer": {}, "quantizer": {}})"
                                    << "seanet.activation";
        QTest::newRow("wrong type") << R"({"seanet": {"ratios": "8,6"}, "transformer": {}, "quantizer": {}})"
                                    << "seanet.ratios";
        QTest::newRow("width") << R"({"seanet": {}, "transformer": {"d_model": 256}, "quantizer": {}})"
                               << "d_model";
        QTest::newRow("stride") << R"({"frame_rate": 10, "seanet": {}, "transformer": {}, "quantizer": {}})"
                                << "whole stride";
        QTest::newRow("codebooks") << R"({"seanet": {}, "transformer": {}, "quantizer": {"n_q": 1}})" << "n_q";
    }

    void badConfigIsRefused() {
        QFETCH(QString, json);
        QFETCH(QString, named);
        const QString error = configError(json.toStdString());
        QVERIFY2(error.contains(named), qPrintable(error));
        QVERIFY2(error.contains("test.json"), qPrintable(error));
    }

    void bothAttentionSpellingsLoad() {
        QCOMPARE(loadError(goldenWeights()), QString());
        QCOMPARE(loadError(loadTensors(kSetA + "/mimi_model_published_names.safetensors")), QString());
    }

    void missingTensorIsRefused_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("seanet bias") << "encoder.model.4.block.1.conv.conv.bias";
        QTest::newRow("transposed conv") << "decoder.model.5.convtr.convtr.weight";
        QTest::newRow("layer scale") << "encoder_transformer.transformer.layers.0.layer_scale_2.scale";
        QTest::newRow("codebook usage") << "quantizer.rvq_rest.vq.layers.6._codebook.cluster_usage";
        QTest::newRow("codebook flag") << "quantizer.rvq_first.vq.layers.0._codebook._initialized";
        QTest::newRow("downsample") << "downsample.conv.conv.conv.weight";
        QTest::newRow("upsample") << "upsample.convtr.convtr.convtr.weight";
    }

    void missingTensorIsRefused() {
        QFETCH(QString, name);
        Tensors tensors = goldenWeights();
        QVERIFY(tensors.erase(name.toStdString()) == 1);
        const QString error = loadError(std::move(tensors));
        QVERIFY2(error.contains(name), qPrintable(error));
    }

    void missingAttentionIsRefusedUnderBothNames() {
        Tensors tensors = goldenWeights();
        QVERIFY(tensors.erase(kAttention + "in_projs.0.weight") == 1);
        const QString error = loadError(std::move(tensors));
        QVERIFY2(error.contains(QString::fromStdString(kAttention + "in_projs.0.weight")), qPrintable(error));
        QVERIFY2(error.contains(QString::fromStdString(kAttention + "in_proj_weight")), qPrintable(error));
    }

    void renamedTensorIsRefused() {
        Tensors tensors = goldenWeights();
        const std::string name = "decoder_transformer.transformer.layers.0.linear1.weight";
        const std::string renamed = "decoder_transformer.transformer.layers.0.linear_1.weight";
        tensors[renamed] = tensors.at(name);
        tensors.erase(name);
        const QString error = loadError(std::move(tensors));
        QVERIFY2(error.contains(QString::fromStdString(name)), qPrintable(error));
    }

    void unknownTensorIsRefused() {
        Tensors tensors = goldenWeights();
        tensors["decoder.model.9.conv.conv.weight"] = torch::zeros({1, 1, 3});
        const QString error = loadError(std::move(tensors));
        QVERIFY2(error.contains("decoder.model.9.conv.conv.weight"), qPrintable(error));
    }

    void bothSpellingsAtOnceAreRefused() {
        Tensors tensors = goldenWeights();
        tensors[kAttention + "out_proj.weight"] = tensors.at(kAttention + "out_projs.0.weight");
        const QString error = loadError(std::move(tensors));
        QVERIFY2(error.contains(QString::fromStdString(kAttention + "out_proj.weight")), qPrintable(error));
    }

    void misshapenTensorIsRefused() {
        Tensors tensors = goldenWeights();
        const std::string name = "encoder.model.6.conv.conv.weight";   // [16, 8, 8]
        tensors[name] = tensors.at(name).transpose(0, 1).contiguous();
        const QString error = loadError(std::move(tensors));
        QVERIFY2(error.contains(QString::fromStdString(name)), qPrintable(error));
        QVERIFY2(error.contains("16, 8, 8"), qPrintable(error));
    }

    void missingFileIsAnError() {
        QVERIFY_THROWS_EXCEPTION(Error, MimiModel::load(kSetA + "/no_such_file.safetensors", goldenConfig()));
    }
};

QTEST_GUILESS_MAIN(TestMimiLoading)
#include "tst_mimi_loading.moc"
