// Batched generation (CsmModel::generateBatch): streams side by side make exactly the frames
// each makes alone with the same prompt and seed, in every weight format; and the plain C++
// step (LlamaTransformer::step) agrees with the torch path it replaces for a few rows.

#include "core/model/csm.h"
#include "core/model/csm_model.h"
#include "core/model/tensor_loading.h"

#include <QtTest>

#include "core/common/error.h"

using namespace echoforge;

namespace {

const QString kSetA = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A");

// The golden prompt's first `frames` frames.
CsmPrompt goldenPrompt(int64_t frames) {
    const auto cases = loadTensors(kSetA + "/csm_cases.safetensors");
    const auto tokens = cases.at("prompt_tokens").narrow(0, 0, frames).contiguous();
    const auto mask = cases.at("prompt_mask").narrow(0, 0, frames).to(torch::kUInt8).contiguous();
    return {{tokens.data_ptr<int64_t>(), tokens.data_ptr<int64_t>() + tokens.numel()},
            {mask.data_ptr<uint8_t>(), mask.data_ptr<uint8_t>() + mask.numel()}};
}

int64_t goldenPromptFrames() { return loadTensors(kSetA + "/csm_cases.safetensors").at("prompt_tokens").size(0); }

std::unique_ptr<CsmModel> tinyModel(WeightPrecision precision) {
    return CsmModel::load(kSetA + "/csm_config.json", kSetA + "/csm_model.safetensors", {precision, 2});
}

} // namespace

class TestCsmBatch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void batchMakesWhatEachStreamMakesAlone_data() {
        QTest::addColumn<int>("precision");
        for (auto p : {WeightPrecision::Float32, WeightPrecision::BFloat16, WeightPrecision::Int8, WeightPrecision::Q4})
            QTest::newRow(qPrintable(precisionName(p))) << int(p);
    }

    void batchMakesWhatEachStreamMakesAlone() {
        QFETCH(int, precision);
        auto model = tinyModel(WeightPrecision(precision));
        const int64_t full = goldenPromptFrames();
        std::vector<CsmPrompt> prompts;
        std::vector<CsmSampling> samplings;
        for (int i = 0; i < 5; ++i) {   // prompts of different lengths: the streams sit at different positions
            prompts.push_back(goldenPrompt(std::max<int64_t>(1, full - i)));
            samplings.push_back({0.9, 20, std::uint64_t(11 + i)});
        }
        samplings[2].temperature = 0.5;
        constexpr int kFrames = 12;
        const auto batched = model->generateBatch(prompts, samplings, kFrames);
        QCOMPARE(batched.size(), prompts.size());
        int total = 0;
        for (std::size_t i = 0; i < prompts.size(); ++i) {
            const auto alone = model->generate(prompts[i], samplings[i], kFrames);
            QCOMPARE(batched[i], alone);
            total += int(alone.size());
        }
        QVERIFY(total > 0);   // the comparison saw frames
        // Streams differ from each other (different seeds), so a mix-up would show.
        QVERIFY(batched[0] != batched[1]);
    }

    void streamsStopOnTheirOwn() {
        auto model = tinyModel(WeightPrecision::Float32);
        const auto prompt = goldenPrompt(goldenPromptFrames());
        int calls = 0;
        const auto frames = model->generateBatch({prompt, prompt}, {{0.9, 20, 1}, {0.9, 20, 2}}, 6,
                                                 [&](int stream, const std::vector<int64_t>&) {
                                                     ++calls;
                                                     return stream != 0;   // stream 0 stops after its first frame
                                                 });
        QCOMPARE(frames[0].size(), std::size_t(1));
        QCOMPARE(frames[1], model->generate(prompt, {0.9, 20, 2}, 6));
        QCOMPARE(calls, int(frames[0].size() + frames[1].size()));
    }

    // Pieces of a long text each have their own frame budget: every stream ends at its own limit
    // and makes exactly what it makes alone with that limit.
    void streamsKeepTheirOwnLimits() {
        auto model = tinyModel(WeightPrecision::Float32);
        const auto prompt = goldenPrompt(goldenPromptFrames());
        const std::vector<int> limits{2, 7, 4};
        const std::vector<CsmSampling> samplings{{0.9, 20, 3}, {0.9, 20, 4}, {0.9, 20, 5}};
        const auto batched = model->generateBatch({prompt, prompt, prompt}, samplings, limits);
        for (std::size_t i = 0; i < limits.size(); ++i) {
            QCOMPARE(batched[i], model->generate(prompt, samplings[i], limits[i]));
            QVERIFY(int(batched[i].size()) <= limits[i]);
        }
        QCOMPARE(batched[0].size(), std::size_t(2));   // no early end in two frames of this prompt
        QVERIFY_THROWS_EXCEPTION(Error, model->generateBatch({prompt, prompt}, {samplings[0], samplings[1]}, std::vector<int>{3}));
    }

    void refusesBadBatches() {
        auto model = tinyModel(WeightPrecision::Float32);
        const auto prompt = goldenPrompt(2);
        QVERIFY_THROWS_EXCEPTION(Error, model->generateBatch({}, {}, 4));
        QVERIFY_THROWS_EXCEPTION(Error, model->generateBatch({prompt, prompt}, {{0.9, 20, 1}}, 4));
        std::vector<CsmPrompt> many(CsmModel::kMaxStreams + 1, prompt);
        std::vector<CsmSampling> samplings(many.size(), CsmSampling{});
        QVERIFY_THROWS_EXCEPTION(Error, model->generateBatch(many, samplings, 4));
    }

    // The step in plain C++ against forward()'s torch path (more rows than the kernels take go
    // through torch): the same hidden states within fp32 rounding.
    void plainStepMatchesTorchPath() {
        c10::InferenceMode inference;
        const auto config = CsmConfig::fromJsonFile(kSetA + "/csm_config.json");
        WeightSet weights(SafetensorsFile::open(kSetA + "/csm_model.safetensors"));
        CsmNetwork net(config, weights, WeightPrecision::Float32);
        auto& backbone = net.backbone();
        const int64_t rows = Linear::kMaxKernelRows + 3, d = config.backbone.dim;
        torch::manual_seed(4);
        const auto x = torch::randn({rows, d});
        backbone.resetCache();
        const auto viaTorch = backbone.forward(x, 0);   // > kMaxKernelRows rows: torch operations
        backbone.resetCache();
        auto viaStep = torch::empty({rows, d});
        for (int64_t r = 0; r < rows; r += 2) {          // two rows per step, continuing the cache
            const int64_t n = std::min<int64_t>(2, rows - r);
            backbone.step(x[r].data_ptr<float>(), n, r, viaStep[r].data_ptr<float>());
        }
        const double worst = (viaTorch - viaStep).abs().max().item<double>();
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
        QVERIFY_THROWS_EXCEPTION(Error, backbone.step(x.data_ptr<float>(), 1, 0, viaStep.data_ptr<float>()));   // positions must follow on
    }
};

QTEST_GUILESS_MAIN(TestCsmBatch)
#include "tst_csm_batch.moc"
