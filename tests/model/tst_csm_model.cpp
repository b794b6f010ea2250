// CSM building blocks: configuration forms, strict weight binding, zero-copy tensors, top-k
// sampling, and the generation loop (seeds, stop frame, length limit, context window).

#include <set>

#include "core/model/csm.h"
#include "core/model/csm_model.h"
#include "core/model/tensor_loading.h"

#include <QtTest>

#include "core/common/error.h"

using namespace echoforge;

namespace {

const QString kSetA = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A");

CsmConfig tinyConfig() { return CsmConfig::fromJsonFile(kSetA + "/csm_config.json"); }

CsmPrompt goldenPrompt() {
    const auto cases = loadTensors(kSetA + "/csm_cases.safetensors");
    const auto tokens = cases.at("prompt_tokens").contiguous();
    const auto mask = cases.at("prompt_mask").to(torch::kUInt8).contiguous();
    return {{tokens.data_ptr<int64_t>(), tokens.data_ptr<int64_t>() + tokens.numel()},
            {mask.data_ptr<uint8_t>(), mask.data_ptr<uint8_t>() + mask.numel()}};
}

std::unique_ptr<CsmModel> tinyModel() {
    return CsmModel::load(kSetA + "/csm_config.json", kSetA + "/csm_model.safetensors", {WeightPrecision::Float32, 1});
}

} // namespace

class TestCsmModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void publishedConfigIsCsm1b() {
        const auto c = CsmConfig::fromJson(R"({"backbone_flavor": "llama-1B", "decoder_flavor": "llama-100M",
            "text_vocab_size": 128256, "audio_vocab_size": 2051, "audio_num_codebooks": 32})", "config.json");
        const auto real = CsmConfig::csm1b();
        QCOMPARE(c.backbone.layers, 16);
        QCOMPARE(c.backbone.headDim, 64);
        QCOMPARE(c.decoder.kvHeads, 2);
        QCOMPARE(c.decoder.headDim, 128);
        QCOMPARE(c.decoderCacheLen(), 32);
        QCOMPARE(c.frameWidth(), 33);
        QCOMPARE(c.backbone.parameterCount(), real.backbone.parameterCount());
        QCOMPARE(real.backbone.rope.scaleFactor, 32.0);
    }

    void explicitConfigReadsGoldenForm() {
        const auto c = tinyConfig();
        QCOMPARE(c.backbone.dim, 64);
        QCOMPARE(c.backbone.kvHeads, 2);
        QCOMPARE(c.decoder.headDim, 8);
        QCOMPARE(c.audioVocabSize, 67);
        QCOMPARE(c.audioNumCodebooks, 8);
    }

    void badConfigsNameTheField_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::newRow("flavour") << QByteArray(R"({"backbone_flavor": "llama-7B", "decoder_flavor": "llama-100M"})") << "llama-7B";
        QTest::newRow("missing") << QByteArray(R"({"backbone": {"layers": 1, "dim": 8, "heads": 2, "intermediate": 4}})") << "decoder";
        QTest::newRow("kv heads") << QByteArray(R"({"backbone": {"layers": 1, "dim": 12, "heads": 3, "kv_heads": 2, "intermediate": 4},
            "decoder": {"layers": 1, "dim": 8, "heads": 2, "intermediate": 4}, "text_vocab_size": 5, "audio_vocab_size": 5, "audio_num_codebooks": 2})") << "backbone.kv_heads";
        QTest::newRow("not integer") << QByteArray(R"({"backbone": {"layers": "two", "dim": 8, "heads": 2, "intermediate": 4}, "decoder": {}})") << "backbone.layers";
        QTest::newRow("not json") << QByteArray("{") << "not a JSON object";
        QTest::newRow("layers beyond any model") << QByteArray(R"({"backbone": {"layers": 2147483647, "dim": 8, "heads": 2, "intermediate": 4},
            "decoder": {"layers": 1, "dim": 8, "heads": 2, "intermediate": 4}, "text_vocab_size": 5, "audio_vocab_size": 5, "audio_num_codebooks": 2})")
                                                 << "backbone.layers";
    }

    void badConfigsNameTheField() {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        try {
            CsmConfig::fromJson(json, "bad.json");
            QFAIL("accepted");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains(field), qPrintable(e.sentence()));
        }
    }

    void tensorsAreNotCopied() {
        const auto file = SafetensorsFile::open(kSetA + "/csm_model.safetensors");
        const TensorEntry* e = file->find("audio_head");
        const auto t = tensorFrom(file, *e);
        QCOMPARE(static_cast<const void*>(t.data_ptr()), static_cast<const void*>(file->data(*e)));
        QCOMPARE(t.sizes().vec(), e->shape);
        const auto cases = loadTensors(kSetA + "/csm_cases.safetensors");
        QCOMPARE(cases.at("prompt_mask").scalar_type(), torch::kBool);
        QCOMPARE(cases.at("prompt_tokens").scalar_type(), torch::kInt64);
    }

    void weightSetIsStrict() {
        auto file = SafetensorsFile::open(kSetA + "/csm_model.safetensors");
        {
            WeightSet w(file);
            QVERIFY_THROWS_EXCEPTION(Error, w.take("backbone.layers.9.attn.q_proj.weight", {64, 64}));
            try {
                w.take("projection.weight", {32, 65});
                QFAIL("wrong shape accepted");
            } catch (const Error& e) {
                QVERIFY2(e.sentence().contains("\"projection.weight\" has shape [32, 64], expected [32, 65]"), qPrintable(e.sentence()));
            }
            // old and new spellings of one tensor
            QCOMPARE(w.takeAny({"projection.old_name", "projection.weight"}, {32, 64}).size(1), 64);
            try {
                w.finish();
                QFAIL("untaken tensors accepted");
            } catch (const Error& e) {
                QVERIFY2(e.sentence().contains("42 tensor(s)") && e.sentence().contains("\"audio_head\""), qPrintable(e.sentence()));
            }
        }
        auto tensors = loadTensors(kSetA + "/csm_model.safetensors");
        tensors["backbone.extra.weight"] = torch::zeros({2});
        WeightSet extra(std::move(tensors), "extra.safetensors");
        try {
            CsmNetwork net(tinyConfig(), extra, WeightPrecision::Float32);
            QFAIL("an unknown tensor was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains("\"backbone.extra.weight\""), qPrintable(e.sentence()));
        }
    }

    void samplerFollowsSeedAndTopK() {
        torch::manual_seed(7);
        const auto logits = torch::randn({67});
        auto draws = [&](std::uint64_t seed, int k) {
            TopKSampler s(seed);
            std::vector<int64_t> out;
            for (int i = 0; i < 300; ++i)
                out.push_back(s.sample(logits, 0.9, k));
            return out;
        };
        QCOMPARE(draws(42, 5), draws(42, 5));
        QVERIFY(draws(42, 50) != draws(43, 50));
        const auto top5 = std::get<1>(torch::topk(logits, 5));
        std::set<int64_t> allowed(top5.data_ptr<int64_t>(), top5.data_ptr<int64_t>() + 5);
        const auto picked = draws(1, 5);
        for (int64_t c : picked)
            QVERIFY(allowed.count(c));
        QCOMPARE(std::set<int64_t>(picked.begin(), picked.end()).size(), std::size_t(5));   // 300 draws reach all 5
        for (int64_t c : draws(9, 1))
            QCOMPARE(c, logits.argmax().item<int64_t>());
        TopKSampler s(0);
        QVERIFY_THROWS_EXCEPTION(Error, s.sample(logits, 0.0, 5));
    }

    void sameSeedSameFrames() {
        auto model = tinyModel();
        const auto prompt = goldenPrompt();
        const CsmSampling sampling{0.9, 50, 1234};
        const auto a = model->generate(prompt, sampling, 8);
        const auto b = model->generate(prompt, sampling, 8);
        QCOMPARE(a.size(), std::size_t(8));
        QCOMPARE(a, b);
        QCOMPARE(a.front().size(), std::size_t(8));
        const auto c = model->generate(prompt, CsmSampling{0.9, 50, 99}, 8);
        QVERIFY(a != c);
    }

    // A shared prefix (a character's reference clips) runs on its own; a later prompt that starts
    // with the same frames reuses its keys and values, and makes the very same frames.
    void sharedPrefixIsKeptAndReused() {
        const auto golden = loadTensors(kSetA + "/csm_cases.safetensors").at("greedy_frames");   // [F, K]
        CsmPrompt prompt = goldenPrompt();
        const int frames = int(prompt.tokens.size()) / tinyConfig().frameWidth();
        QVERIFY(frames >= 3);
        prompt.reusablePrefixFrames = frames - 2;

        auto model = tinyModel();
        const auto greedy = model->generate(prompt, {1.0, 1, 0}, int(golden.size(0)));
        QCOMPARE(model->reusedPrefixFrames(), 0);   // nothing kept yet
        std::vector<int64_t> flat;
        for (const auto& f : greedy)
            flat.insert(flat.end(), f.begin(), f.end());
        // Split or not, the reference's greedy frames
        QVERIFY(torch::equal(torch::tensor(flat, torch::kInt64).view_as(golden), golden.to(torch::kInt64)));

        const CsmSampling sampling{0.9, 50, 77};
        const auto reused = model->generate(prompt, sampling, 8);
        QCOMPARE(model->reusedPrefixFrames(), frames - 2);
        auto fresh = tinyModel();
        QCOMPARE(fresh->generate(prompt, sampling, 8), reused);   // computed, not kept: the same frames
        QCOMPARE(fresh->reusedPrefixFrames(), 0);

        CsmPrompt other = prompt;
        other.tokens[std::size_t(tinyConfig().frameWidth() - 1)] += 1;   // the first frame's text id
        model->generate(other, sampling, 2);
        QCOMPARE(model->reusedPrefixFrames(), 0);   // a different prefix is run, not reused
        model->generate(prompt, sampling, 2);
        QCOMPARE(model->reusedPrefixFrames(), frames - 2);   // a few voices are kept: a script alternates
        model->generate(other, sampling, 2);
        QCOMPARE(model->reusedPrefixFrames(), frames - 2);

        prompt.reusablePrefixFrames = frames;   // nothing would be left to run after it
        QVERIFY_THROWS_EXCEPTION(Error, model->begin(prompt, sampling, 4));
    }

    void lengthLimitAndCancellation() {
        auto model = tinyModel();
        const auto prompt = goldenPrompt();
        QCOMPARE(model->generate(prompt, {0.9, 50, 5}, 3).size(), std::size_t(3));
        int seen = 0;
        const auto frames = model->generate(prompt, {0.9, 50, 5}, 20, [&](const std::vector<int64_t>&) { return ++seen < 2; });
        QCOMPARE(frames.size(), std::size_t(2));
    }

    void contextWindowIsChecked() {
        auto model = tinyModel();
        const auto prompt = goldenPrompt();   // 23 frames; the tiny backbone sees 256
        model->begin(prompt, {}, 256 - 24);   // 23 < 256 − 232 = 24: allowed
        try {
            model->begin(prompt, {}, 256 - 23);
            QFAIL("a prompt filling the window was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.sentence().contains("23 frames") && e.sentence().contains("below 23"), qPrintable(e.sentence()));
        }
        CsmPrompt ragged = prompt;
        ragged.tokens.pop_back();
        QVERIFY_THROWS_EXCEPTION(Error, model->begin(ragged, {}, 4));
        CsmPrompt badId = prompt;
        badId.tokens[0] = 67;   // codebook 0's code of the first frame, one past the vocabulary
        model->begin(badId, {}, 4);
        QVERIFY_THROWS_EXCEPTION(Error, model->nextFrame());
    }

    // Heads aimed at code 0: the first frame is all zeros, so generation ends with no frame.
    void allZeroFrameEndsGeneration() {
        c10::InferenceMode inference;
        auto tensors = loadTensors(kSetA + "/csm_model.safetensors");
        for (auto& [name, t] : tensors)
            t = t.clone();
        const auto config = tinyConfig();
        const auto prompt = goldenPrompt();
        const int64_t frames = int64_t(prompt.tokens.size()) / config.frameWidth();
        const auto tokens = torch::tensor(prompt.tokens).view({frames, config.frameWidth()});
        const auto mask = torch::tensor(std::vector<int64_t>(prompt.mask.begin(), prompt.mask.end()))
                              .view({frames, config.frameWidth()}).ne(0);
        // What the network computes when every code is 0: aim each head at that hidden state.
        std::vector<torch::Tensor> stepHidden;
        torch::Tensor lastHidden;
        {
            WeightSet w(tensors, "aimed");
            CsmNetwork net(config, w, WeightPrecision::Float32);
            lastHidden = net.backbone().forward(net.embedFrames(tokens, mask), 0)[-1];
            net.decodeCodebooks(lastHidden, 0, [](int, const torch::Tensor&) { return int64_t(0); },
                                [&](int, const torch::Tensor& h) { stepHidden.push_back(h.clone()); });
        }
        constexpr double kMargin = 100;
        tensors["codebook0_head.weight"].zero_();
        tensors["codebook0_head.weight"][0] = lastHidden * (kMargin / lastHidden.pow(2).sum().item<double>());
        tensors["audio_head"].zero_();
        for (std::size_t i = 0; i < stepHidden.size(); ++i)
            tensors["audio_head"][int64_t(i)].select(1, 0).copy_(stepHidden[i] * (kMargin / stepHidden[i].pow(2).sum().item<double>()));
        WeightSet aimed(tensors, "aimed");
        auto model = CsmModel::fromWeights(config, aimed, WeightPrecision::Float32);
        model->begin(prompt, {0.9, 50, 3}, 10);
        QCOMPARE(model->nextFrame(), std::vector<int64_t>(config.audioNumCodebooks, 0));
        QVERIFY(model->generate(prompt, {0.9, 50, 3}, 10).empty());
    }

    void bf16WeightsStayClose() {
        auto exact = tinyModel();
        auto half = CsmModel::load(kSetA + "/csm_config.json", kSetA + "/csm_model.safetensors", {WeightPrecision::BFloat16, 1});
        QCOMPARE(half->precision(), WeightPrecision::BFloat16);
        QCOMPARE(half->weightBytesPerFrame() * 2 > exact->weightBytesPerFrame(), true);
        QVERIFY(half->weightBytesPerFrame() < exact->weightBytesPerFrame() * 0.6);
        const auto prompt = goldenPrompt();
        // Greedy codes of the first frame's codebook 0 agree: bf16 rounding moves logits little.
        const auto a = exact->generate(prompt, {1.0, 1, 0}, 1);
        const auto b = half->generate(prompt, {1.0, 1, 0}, 1);
        QCOMPARE(a.size(), std::size_t(1));
        QCOMPARE(b.size(), std::size_t(1));
        QCOMPARE(a[0][0], b[0][0]);
    }
};

QTEST_GUILESS_MAIN(TestCsmModel)
#include "tst_csm_model.moc"
