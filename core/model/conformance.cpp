#include "core/model/conformance.h"

#include <cmath>
#include <optional>

#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include "core/common/error.h"
#include "core/model/csm.h"
#include "core/model/csm_checkpoint.h"
#include "core/model/csm_model.h"
#include "core/model/llama.h"

namespace echoforge {

namespace {

using Tensors = std::unordered_map<std::string, torch::Tensor>;

QString indexText(int64_t flat, c10::IntArrayRef shape) {
    QStringList parts;
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
        parts.prepend(QString::number(flat % shape[d]));
        flat /= shape[d];
    }
    return QStringLiteral("[%1]").arg(parts.join(", "));
}

// A reference shape without its batch dimension: the golden set holds [1, S, D] where we hold
// [S, D] (B = 1 throughout, INTERMEDIATES.md).
std::vector<int64_t> withoutBatch(c10::IntArrayRef sizes) {
    std::vector<int64_t> out(sizes.begin(), sizes.end());
    if (out.size() > 1 && out.front() == 1)
        out.erase(out.begin());
    return out;
}

// Compares `actual` with the reference tensor; writes maxAbsErr and why. The shapes must agree
// (less the batch dimension), not only the element counts: a transposed result has as many.
bool compareTensors(const torch::Tensor& expected, torch::Tensor actual, double tolerance, ConformanceCase& c) {
    if (withoutBatch(actual.sizes()) != withoutBatch(expected.sizes())) {
        c.maxAbsErr = std::numeric_limits<double>::infinity();
        c.why = QStringLiteral("shape %1 instead of %2").arg(QString::fromStdString(c10::str(actual.sizes())),
                                                            QString::fromStdString(c10::str(expected.sizes())));
        return false;
    }
    const bool integral = !expected.is_floating_point();
    const auto want = expected.to(torch::kFloat64).reshape({-1});
    const auto got = actual.to(torch::kCPU, torch::kFloat64).reshape({-1});
    const auto diff = (want - got).abs().nan_to_num(std::numeric_limits<double>::infinity());
    if (diff.numel() == 0)
        return true;
    const int64_t worst = diff.argmax().item<int64_t>();
    c.maxAbsErr = diff[worst].item<double>();
    const bool ok = integral ? c.maxAbsErr == 0 : c.maxAbsErr <= tolerance;
    if (!ok)
        c.why = QStringLiteral("worst at %1: reference %2, ours %3%4")
                    .arg(indexText(worst, expected.sizes()))
                    .arg(want[worst].item<double>(), 0, 'g', 8)
                    .arg(got[worst].item<double>(), 0, 'g', 8)
                    .arg(integral ? QStringLiteral(", codes must be identical")
                                  : QStringLiteral(", tolerance %1").arg(tolerance));
    return ok;
}

// The cases of one golden file. Names the file holds are compared; a required name it lacks,
// or a computation that throws, is a failed case.
class CaseFile {
public:
    CaseFile(std::vector<ConformanceCase>& out, QString file, Tensors tensors, bool required, double tolerance)
        : out_(out), file_(std::move(file)), tensors_(std::move(tensors)), required_(required), tolerance_(tolerance) {}

    bool has(const std::string& name) const { return tensors_.count(name) > 0; }
    const torch::Tensor& at(const std::string& name) const {
        if (!has(name))
            throw Error(QStringLiteral("the golden file %1 lacks \"%2\"").arg(file_, QString::fromStdString(name)));
        return tensors_.at(name);
    }

    // Runs `compute` and compares its result with the tensor `name`.
    void check(const std::string& name, const std::function<torch::Tensor()>& compute) {
        if (!has(name) && !required_)
            return;
        ConformanceCase c{file_, QString::fromStdString(name), false, 0, {}};
        try {
            c.passed = compareTensors(at(name), compute(), tolerance_, c);
        } catch (const std::exception& e) {
            c.maxAbsErr = std::numeric_limits<double>::quiet_NaN();
            c.why = QString::fromUtf8(e.what());
        }
        out_.push_back(c);
    }

private:
    std::vector<ConformanceCase>& out_;
    QString file_;
    Tensors tensors_;
    bool required_;
    double tolerance_;
};

QString firstExisting(const QDir& dir, const QStringList& names) {
    for (const QString& name : names)
        if (QFileInfo::exists(dir.filePath(name)))
            return dir.filePath(name);
    return dir.filePath(names.first());
}

// A set in the original layout names its weights csm_model.safetensors; one in a Hugging Face
// layout has model.safetensors, or shards and their *.safetensors.index.json.
QString csmWeightsIn(const QDir& dir) {
    const QStringList indexes = dir.entryList({QStringLiteral("*.safetensors.index.json")}, QDir::Files, QDir::Name);
    if (!QFileInfo::exists(dir.filePath("csm_model.safetensors")) && !indexes.isEmpty())
        return dir.filePath(indexes.first());
    return firstExisting(dir, {"csm_model.safetensors", "model.safetensors"});
}

std::vector<int64_t> toVector(const torch::Tensor& t) {
    const auto flat = t.to(torch::kInt64).contiguous().reshape({-1});
    return {flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel()};
}

} // namespace

std::vector<ConformanceCase> runCsmConformance(const QString& dirPath, ComputeDevice device) {
    return runCsmConformance(dirPath, device, WeightPrecision::Float32, kGoldenTolerance);
}

std::vector<ConformanceCase> runCsmConformance(const QString& dirPath, ComputeDevice device, WeightPrecision precision,
                                               double tolerance) {
    const torch::Device onDevice = device == ComputeDevice::Cuda ? torch::kCUDA : torch::kCPU;
    std::vector<ConformanceCase> results;
    const QDir dir(dirPath);
    const QString configPath = firstExisting(dir, {"csm_config.json", "config.json"});
    const QString weightsPath = csmWeightsIn(dir);
    c10::InferenceMode inference;
    std::unique_ptr<CsmNetwork> net;
    Tensors caseTensors, intermediateTensors;
    try {
        caseTensors = loadTensors(dir.filePath("csm_cases.safetensors"));
        if (QFileInfo::exists(dir.filePath("csm_intermediates.safetensors")))
            intermediateTensors = loadTensors(dir.filePath("csm_intermediates.safetensors"));
        const CsmConfig config = CsmConfig::fromJsonFile(configPath);
        WeightSet weights = openCsmWeights(weightsPath, config);
        net = std::make_unique<CsmNetwork>(config, weights, precision, onDevice);
    } catch (const std::exception& e) {
        results.push_back({"csm_cases", "model", false, std::numeric_limits<double>::quiet_NaN(), QString::fromUtf8(e.what())});
        return results;
    }
    CaseFile cases(results, "csm_cases", std::move(caseTensors), true, tolerance);
    CaseFile inter(results, "csm_intermediates", std::move(intermediateTensors), false, tolerance);
    const int k = net->config().audioNumCodebooks;

    // RoPE tables (the reference's first rows)
    for (auto [name, t] : {std::pair{"backbone", &net->backbone()}, std::pair{"decoder", &net->decoder()}}) {
        const std::string p = std::string("csm.") + name;
        inter.check(p + "_rope_theta", [t] { return t->rope().theta(); });
        inter.check(p + "_rope_cache", [&, t] { return t->rope().cache().narrow(0, 0, inter.at(p + "_rope_cache").size(0)); });
    }

    // The prompt through the backbone
    torch::Tensor embeds, hidden, lastHidden;
    std::vector<torch::Tensor> layerOut;
    cases.check("backbone_input_embeds", [&] {
        embeds = net->embedFrames(cases.at("prompt_tokens"), cases.at("prompt_mask"));
        return embeds;
    });
    cases.check("backbone_hidden", [&] {
        net->resetCaches();
        hidden = net->backbone().forward(embeds, 0, [&](int, const torch::Tensor& h) { layerOut.push_back(h.clone()); });
        lastHidden = hidden[-1];
        return hidden;
    });
    for (std::size_t i = 0; i < layerOut.size(); ++i) {
        const std::string p = "csm.backbone_layer" + std::to_string(i) + "_out";
        inter.check(p, [&] { return layerOut[i]; });
        inter.check(p + "_last", [&] { return layerOut[i][-1]; });
    }
    // The stages inside each backbone layer the set records (set A: layer 0), the layer traced
    // alone over an empty cache from the reference's own input to it, so a difference is pinned
    // to the stage where it starts rather than to the layer that shows it.
    const std::pair<const char*, torch::Tensor LlamaLayerTrace::*> stages[] = {
        {"sa_norm", &LlamaLayerTrace::saNorm}, {"q", &LlamaLayerTrace::q}, {"k", &LlamaLayerTrace::k},
        {"q_rope", &LlamaLayerTrace::qRope}, {"k_rope", &LlamaLayerTrace::kRope},
        {"attn_pre_proj", &LlamaLayerTrace::attnPreProj}, {"attn_out", &LlamaLayerTrace::attnOut},
        {"mlp_out", &LlamaLayerTrace::mlpOut}};
    for (int layer = 0; layer < net->config().backbone.layers; ++layer) {
        std::optional<LlamaLayerTrace> trace;   // traced when the set holds a stage of this layer
        for (const auto& [stage, member] : stages)
            inter.check("csm.backbone_layer" + std::to_string(layer) + "_" + stage, [&, member = member] {
                if (!trace) {
                    const auto input = layer == 0 ? cases.at("backbone_input_embeds")
                                                  : inter.at("csm.backbone_layer" + std::to_string(layer - 1) + "_out");
                    net->resetCaches();
                    trace = net->backbone().traceLayer(layer, input.reshape({-1, input.size(-1)}), 0);   // [S, D]
                }
                return (*trace).*member;
            });
    }
    cases.check("codebook0_logits", [&] { return net->codebook0Logits(lastHidden); });

    // The decoder, teacher forced with decoder_forced_codes
    std::vector<torch::Tensor> stepHidden;
    cases.check("decoder_logits", [&] {
        const auto forced = toVector(cases.at("decoder_forced_codes"));
        std::vector<torch::Tensor> rows;
        net->decodeCodebooks(lastHidden, forced.at(0), [&](int i, const torch::Tensor& logits) {
            rows.push_back(logits);
            return forced.at(i);
        }, [&](int, const torch::Tensor& h) { stepHidden.push_back(h); });
        return torch::stack(rows);
    });
    inter.check("csm.decoder_step_hidden", [&] { return torch::stack(stepHidden); });
    torch::Tensor decoderInputs;
    inter.check("csm.decoder_inputs", [&] {
        const auto forced = toVector(cases.at("decoder_forced_codes"));
        std::vector<torch::Tensor> inputs{lastHidden};
        for (int i = 0; i + 1 < k; ++i)
            inputs.push_back(net->embedAudio(i, forced.at(i)));
        decoderInputs = net->projection()(torch::stack(inputs));   // [K, Dd]
        return decoderInputs;
    });
    if (decoderInputs.defined()) {
        std::vector<torch::Tensor> step1Layers;
        net->decoder().resetCache();
        const auto step1 = net->decoder().forward(decoderInputs.narrow(0, 0, 2), 0,
                                                  [&](int, const torch::Tensor& h) { step1Layers.push_back(h.clone()); });
        for (std::size_t i = 0; i < step1Layers.size(); ++i)
            inter.check("csm.decoder_step1_layer" + std::to_string(i) + "_out", [&] { return step1Layers[i]; });
        inter.check("csm.decoder_step1_hidden", [&] { return step1; });
    }

    // Per-frame backbone outputs with the reference's greedy frames fed back
    std::vector<torch::Tensor> greedyLast, greedyLogits;
    if (cases.has("greedy_frames")) {
        try {
            const auto frames = cases.at("greedy_frames");   // [F, K]
            net->resetCaches();
            int64_t position = 0;
            for (int64_t f = 0; f < frames.size(0); ++f) {
                torch::Tensor tokens = cases.at("prompt_tokens"), mask = cases.at("prompt_mask");
                if (f > 0) {
                    tokens = torch::cat({frames[f - 1], torch::zeros({1}, torch::kInt64)}).unsqueeze(0);
                    mask = torch::ones({1, k + 1}, torch::kBool);
                    mask[0][k] = false;
                }
                const auto h = net->backbone().forward(net->embedFrames(tokens, mask), position);
                position += tokens.size(0);
                greedyLast.push_back(h[-1]);
                greedyLogits.push_back(net->codebook0Logits(h[-1]));
            }
        } catch (const std::exception&) {
            greedyLast.clear();   // the checks below then report the failure
        }
    }
    inter.check("csm.greedy_backbone_last_h", [&] { return torch::stack(greedyLast); });
    inter.check("csm.greedy_c0_logits", [&] { return torch::stack(greedyLogits); });

    // The generation loop itself, through the engine's API, greedy (top-k 1)
    cases.check("greedy_frames", [&] {
        const auto expected = cases.at("greedy_frames");
        auto model = CsmModel::load(configPath, weightsPath, {precision, -1, device});
        const CsmPrompt prompt{toVector(cases.at("prompt_tokens")), [&] {
            const auto m = toVector(cases.at("prompt_mask"));
            return std::vector<std::uint8_t>(m.begin(), m.end());
        }()};
        const auto frames = model->generate(prompt, CsmSampling{1.0, 1, 0}, int(expected.size(0)));
        std::vector<int64_t> flat;
        for (const auto& f : frames)
            flat.insert(flat.end(), f.begin(), f.end());
        const int64_t width = frames.empty() ? 0 : int64_t(frames.front().size());
        return torch::tensor(flat, torch::kInt64).view({int64_t(frames.size()), width});   // [F, K]
    });
    return results;
}

} // namespace echoforge
