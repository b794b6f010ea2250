// Batched generation (CsmModel::generateBatch): streams side by side make exactly the frames
// each makes alone with the same prompt and seed, in every weight format; the same holds for
// callers on threads of their own sharing the model's steps (CsmStreamPool), joining and leaving
// at different frames; and the plain C++ step (LlamaTransformer::step) agrees with the torch
// path it replaces for a few rows.

#include "core/model/csm.h"
#include "core/model/csm_model.h"
#include "core/model/csm_stream_pool.h"
#include "core/model/tensor_loading.h"

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>

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

bool endOfSpeech(const std::vector<int64_t>& frame) {
    return std::all_of(frame.begin(), frame.end(), [](int64_t c) { return c == 0; });
}

// generate()'s loop through a lease's stream 0: frames until the all-zero frame or the limit.
// `afterFirst` runs once the prompt has run (the stream is then generating).
std::vector<std::vector<int64_t>> generateThrough(CsmStreamPool::Lease& lease, const CsmPrompt& prompt,
                                                  const CsmSampling& sampling, int maxFrames,
                                                  const std::function<void(int)>& onFrame = {},
                                                  const std::function<void()>& afterFirst = {}) {
    std::vector<std::vector<int64_t>> frames;
    std::vector<int64_t> frame = lease.begin(0, prompt, sampling, maxFrames);
    if (afterFirst)
        afterFirst();
    while (!endOfSpeech(frame)) {
        frames.push_back(frame);
        if (onFrame)
            onFrame(int(frames.size()));
        if (int(frames.size()) == maxFrames)
            break;
        frame = lease.next({0}).front();
    }
    lease.end(0);
    return frames;
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

    // Issue 16, point 3: queued jobs side by side. Callers on threads of their own share the
    // model's frame steps (three begin together, a fourth joins later, each stops at its own
    // limit), and each gets exactly the frames generate() makes for its prompt alone.
    void poolCallersOnThreadsGetWhatEachMakesAlone_data() {
        QTest::addColumn<int>("precision");
        for (auto p : {WeightPrecision::Float32, WeightPrecision::Q4})
            QTest::newRow(qPrintable(precisionName(p))) << int(p);
    }
    void poolCallersOnThreadsGetWhatEachMakesAlone() {
        QFETCH(int, precision);
        auto model = tinyModel(WeightPrecision(precision));
        const int64_t full = goldenPromptFrames();
        const std::vector<int> limits{12, 5, 9, 10};
        std::vector<CsmPrompt> prompts;
        std::vector<CsmSampling> samplings;
        std::vector<std::vector<std::vector<int64_t>>> expected;
        for (int i = 0; i < 4; ++i) {
            prompts.push_back(goldenPrompt(std::max<int64_t>(1, full - i)));
            samplings.push_back({i == 2 ? 0.6 : 0.9, 20, std::uint64_t(31 + i)});
            expected.push_back(model->generate(prompts.back(), samplings.back(), limits[std::size_t(i)]));
        }

        CsmStreamPool pool(*model);
        std::latch begunTogether(3);
        std::atomic<int> firstCallerFrames{0};
        std::atomic<bool> firstCallerDone{false};
        std::vector<std::vector<std::vector<int64_t>>> got(4);
        std::vector<QString> failures(4);
        std::vector<std::thread> callers;
        for (int i = 0; i < 4; ++i) {
            callers.emplace_back([&, i] {
                try {
                    if (i == 3) {   // joins while the first caller is under way
                        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
                        while (firstCallerFrames < 4 && !firstCallerDone && std::chrono::steady_clock::now() < until)
                            std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    }
                    auto lease = pool.claim(1);
                    got[std::size_t(i)] = generateThrough(
                        *lease, prompts[std::size_t(i)], samplings[std::size_t(i)], limits[std::size_t(i)],
                        [&, i](int n) { if (i == 0) firstCallerFrames = n; },
                        [&, i] { if (i < 3) begunTogether.arrive_and_wait(); });
                } catch (const std::exception& e) {
                    failures[std::size_t(i)] = QString::fromUtf8(e.what());
                }
                if (i == 0)
                    firstCallerDone = true;
            });
        }
        for (std::thread& t : callers)
            t.join();
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(failures[std::size_t(i)].isEmpty(), qPrintable(failures[std::size_t(i)]));
            QCOMPARE(got[std::size_t(i)], expected[std::size_t(i)]);
        }
        QVERIFY(expected[0] != expected[1]);   // different seeds: a mix-up would show
        QCOMPARE(expected[1].size(), std::size_t(5));   // no early end within these limits
        // The three that began together shared their steps.
        QVERIFY2(pool.widestStep() >= 3, qPrintable(QString::number(pool.widestStep())));
    }

    // One caller with several streams (pieces of a long text) beside another caller: still each
    // stream's own frames.
    void poolLeaseWithSeveralStreamsBesideAnother() {
        auto model = tinyModel(WeightPrecision::Float32);
        const auto prompt = goldenPrompt(goldenPromptFrames());
        const std::vector<CsmSampling> samplings{{0.9, 20, 7}, {0.9, 20, 8}, {0.9, 20, 9}};
        std::vector<std::vector<std::vector<int64_t>>> expected;
        for (const CsmSampling& s : samplings)
            expected.push_back(model->generate(prompt, s, 6));
        CsmStreamPool pool(*model);
        std::vector<std::vector<std::vector<int64_t>>> pieces(2);
        std::vector<std::vector<int64_t>> otherFrames;
        QString failure;
        std::latch begun(2);
        std::thread other([&] {
            try {
                auto lease = pool.claim(1);
                otherFrames = generateThrough(*lease, prompt, samplings[2], 6, {}, [&] { begun.arrive_and_wait(); });
            } catch (const std::exception& e) {
                failure = QString::fromUtf8(e.what());
            }
        });
        auto lease = pool.claim(2);
        QVERIFY(lease);
        for (int s = 0; s < 2; ++s)
            pieces[std::size_t(s)].push_back(lease->begin(s, prompt, samplings[std::size_t(s)], 6));
        begun.arrive_and_wait();
        for (int f = 1; f < 6; ++f) {
            const auto frames = lease->next({0, 1});
            pieces[0].push_back(frames[0]);
            pieces[1].push_back(frames[1]);
        }
        lease.reset();
        other.join();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QCOMPARE(pieces[0], expected[0]);
        QCOMPARE(pieces[1], expected[1]);
        QCOMPARE(otherFrames, expected[2]);
        QCOMPARE(pool.widestStep(), 3);
    }

    // Claims wait for free streams and give up when cancelled; a bad prompt fails its caller
    // with a sentence and leaves the pool working.
    void poolClaimsAndFailures() {
        auto model = tinyModel(WeightPrecision::Float32);
        CsmStreamPool pool(*model);
        QVERIFY_THROWS_EXCEPTION(Error, pool.claim(0));
        QVERIFY_THROWS_EXCEPTION(Error, pool.claim(CsmModel::kMaxStreams + 1));
        auto all = pool.claim(CsmModel::kMaxStreams);
        QVERIFY(all);
        int asked = 0;
        QVERIFY(!pool.claim(1, [&] { return ++asked > 2; }));
        QVERIFY(asked > 2);
        all.reset();

        // Claims are served in the order they came: one waiting for every stream is not overtaken
        // by a later one that needs a single stream, even while a stream is free for it.
        auto one = pool.claim(1);
        std::atomic<int> order{0}, wideServedAt{-1}, narrowServedAt{-1};
        std::thread wide([&] {
            auto lease = pool.claim(CsmModel::kMaxStreams);
            wideServedAt = order++;
        });
        auto waitForClaims = [&pool](int n) {
            for (int waited = 0; pool.waitingClaims() < n && waited < 30000; waited += 5)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return pool.waitingClaims() == n;
        };
        const bool wideWaitsFirst = waitForClaims(1);
        std::thread narrow([&] {
            auto lease = pool.claim(1);
            narrowServedAt = order++;
        });
        const bool bothWait = waitForClaims(2);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));   // more than a claim's poll
        const int servedWhileHeld = order.load();
        one.reset();   // the threads finish before any check can return early
        wide.join();
        narrow.join();
        QVERIFY(wideWaitsFirst && bothWait);
        QCOMPARE(servedWhileHeld, 0);   // seven streams were free, but the narrow claim waited its turn
        QCOMPARE(wideServedAt.load(), 0);
        QCOMPARE(narrowServedAt.load(), 1);
        auto lease = pool.claim(1);
        QVERIFY(lease);
        QVERIFY_THROWS_EXCEPTION(Error, lease->begin(0, CsmPrompt{}, {0.9, 20, 1}, 4));
        QVERIFY_THROWS_EXCEPTION(Error, lease->next({0}));   // never begun
        QVERIFY_THROWS_EXCEPTION(Error, lease->begin(1, goldenPrompt(2), {0.9, 20, 1}, 4));   // holds stream 0 only
        const auto prompt = goldenPrompt(goldenPromptFrames());
        QCOMPARE(generateThrough(*lease, prompt, {0.9, 20, 5}, 4), model->generate(prompt, {0.9, 20, 5}, 4));
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
