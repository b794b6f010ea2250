#include "core/codec/mimi/mimi_conformance.h"

#include <functional>
#include <map>

#include <QDir>
#include <QFileInfo>

#include "core/codec/mimi/mimi_model.h"
#include "core/common/error.h"
#include "core/model/tensor_loading.h"

namespace echoforge {
namespace {

using mimi::MimiConfig;
using mimi::MimiModel;
using mimi::MimiTrace;
using torch::indexing::Slice;
using Tensors = std::unordered_map<std::string, torch::Tensor>;

QString shapeText(const torch::Tensor& t) {
    QStringList dims;
    for (int64_t d : t.sizes())
        dims << QString::number(d);
    return QStringLiteral("[%1]").arg(dims.join(", "));
}

QString indexText(const torch::Tensor& t, int64_t flatIndex) {
    QStringList parts;
    for (int64_t d = t.dim() - 1; d >= 0; --d) {
        parts.prepend(QString::number(flatIndex % t.size(d)));
        flatIndex /= t.size(d);
    }
    return QStringLiteral("[%1]").arg(parts.join(", "));
}

// Floats: within kGoldenTolerance; integers: identical. The reason names the worst index and both values.
ConformanceCase compare(const QString& file, const QString& name, const torch::Tensor& ours,
                        const torch::Tensor& reference) {
    ConformanceCase c{file, name, false, 0.0, {}};
    if (ours.sizes() != reference.sizes()) {
        c.why = QStringLiteral("shape %1, reference %2").arg(shapeText(ours), shapeText(reference));
        return c;
    }
    if (reference.numel() == 0) {
        c.passed = true;
        return c;
    }
    const bool integral = !c10::isFloatingType(reference.scalar_type());
    const torch::Tensor diff = (ours.to(torch::kDouble) - reference.to(torch::kDouble)).abs().reshape({-1});
    const int64_t worst = diff.argmax().item<int64_t>();
    c.maxAbsErr = diff[worst].item<double>();
    if (std::isnan(c.maxAbsErr) || (integral ? c.maxAbsErr != 0.0 : c.maxAbsErr > kGoldenTolerance)) {
        const int64_t differing = integral ? diff.ne(0).sum().item<int64_t>() : diff.gt(kGoldenTolerance).sum().item<int64_t>();
        c.why = QStringLiteral("%1 of %2 values differ; worst at %3: ours %4, reference %5")
                    .arg(differing)
                    .arg(reference.numel())
                    .arg(indexText(reference, worst))
                    .arg(ours.reshape({-1})[worst].item<double>(), 0, 'g', 9)
                    .arg(reference.reshape({-1})[worst].item<double>(), 0, 'g', 9);
        return c;
    }
    c.passed = true;
    return c;
}

ConformanceCase failure(const QString& file, const QString& name, const QString& why) {
    return {file, name, false, 0.0, why};
}

const torch::Tensor& caseTensor(const Tensors& cases, const std::string& name) {
    const auto it = cases.find(name);
    if (it == cases.end())
        throw Error(QStringLiteral("mimi_cases.safetensors has no tensor %1.").arg(QString::fromStdString(name)));
    return it->second;
}

// Runs `body`, turning an exception into a failed case so one broken part does not hide the others.
void guarded(std::vector<ConformanceCase>& out, const QString& file, const QString& name,
             const std::function<void()>& body) {
    try {
        body();
    } catch (const std::exception& e) {
        out.push_back(failure(file, name, QString::fromUtf8(e.what())));
    }
}

// The stream's per-call traces of `name`, joined on time.
torch::Tensor joined(const std::vector<MimiTrace>& calls, const std::string& name) {
    std::vector<torch::Tensor> parts;
    for (const MimiTrace& t : calls)
        parts.push_back(t.tensors.at(name));
    return torch::cat(parts, 2);
}

struct Runs {
    MimiTrace whole;                          // decode.* and encode.* and quantizer.*
    std::vector<MimiTrace> streamDecode;      // one per frame
    std::vector<MimiTrace> streamEncode;
    std::vector<torch::Tensor> decodedFrames;
};

void runCases(const std::shared_ptr<const MimiModel>& model, const Tensors& cases, Runs& runs,
              std::vector<ConformanceCase>& out) {
    const QString file = QStringLiteral("mimi_cases");
    const torch::Tensor& codes = caseTensor(cases, "decode_codes");
    guarded(out, file, "decode_waveform", [&] {
        out.push_back(compare(file, "decode_waveform", model->decode(codes, &runs.whole),
                              caseTensor(cases, "decode_waveform")));
    });
    guarded(out, file, "stream_decode_waveform", [&] {
        mimi::StreamingMimiDecoder stream(model);
        for (int64_t f = 0; f < codes.size(2); ++f) {
            runs.streamDecode.emplace_back();
            runs.decodedFrames.push_back(stream.step(codes.index({Slice(), Slice(), Slice(f, f + 1)}),
                                                     &runs.streamDecode.back()));
        }
        out.push_back(compare(file, "stream_decode_waveform", torch::cat(runs.decodedFrames, 2),
                              caseTensor(cases, "stream_decode_waveform")));
    });
    const torch::Tensor& waveform = caseTensor(cases, "encode_waveform");
    guarded(out, file, "encode_codes", [&] {
        out.push_back(compare(file, "encode_codes", model->encode(waveform, &runs.whole),
                              caseTensor(cases, "encode_codes")));
    });
    guarded(out, file, "stream_encode_codes", [&] {
        mimi::StreamingMimiEncoder stream(model);
        const int64_t frame = model->samplesPerFrame();
        std::vector<torch::Tensor> parts;
        for (int64_t s = 0; s + frame <= waveform.size(2); s += frame) {
            runs.streamEncode.emplace_back();
            parts.push_back(stream.step(waveform.index({Slice(), Slice(), Slice(s, s + frame)}),
                                        &runs.streamEncode.back()));
        }
        out.push_back(compare(file, "stream_encode_codes", torch::cat(parts, 2),
                              caseTensor(cases, "stream_encode_codes")));
    });
    model->traceCodebooks(runs.whole);
}

// What the port produced for an intermediate of the golden file, by the file's name.
torch::Tensor produced(const Runs& runs, const std::string& name) {
    if (name == "stream_decode.frames")
        return torch::stack(runs.decodedFrames, 0);
    if (name.rfind("stream_decode.", 0) == 0)
        return joined(runs.streamDecode, name);
    if (name.rfind("stream_encode.", 0) == 0)
        return joined(runs.streamEncode, name);
    const auto it = runs.whole.tensors.find(name);
    if (it == runs.whole.tensors.end())
        throw Error(QStringLiteral("the port records no tensor %1").arg(QString::fromStdString(name)));
    return it->second;
}

} // namespace

std::vector<ConformanceCase> runMimiConformance(const QString& dirPath) {
    const QDir dir(dirPath);
    std::vector<ConformanceCase> out;
    // A CSM checkpoint without any Mimi file (A-transformers) has no Mimi part; a folder with
    // neither is a missing set, and fails below naming the Mimi file it lacks.
    const bool hasCsm = QFileInfo::exists(dir.filePath("csm_config.json")) || QFileInfo::exists(dir.filePath("config.json"));
    if (hasCsm && !QFileInfo::exists(dir.filePath("mimi_config.json")) &&
        !QFileInfo::exists(dir.filePath("mimi_model.safetensors")) && !QFileInfo::exists(dir.filePath("mimi_cases.safetensors")))
        return out;
    std::shared_ptr<const MimiModel> model;
    MimiConfig config;
    guarded(out, "mimi_model", "load", [&] {
        config = MimiConfig::fromJsonFile(dir.filePath("mimi_config.json"));
        model = MimiModel::load(dir.filePath("mimi_model.safetensors"), config);
    });
    if (!model)
        return out;

    Runs runs;
    guarded(out, "mimi_cases", "load", [&] {
        const Tensors cases = loadTensors(dir.filePath("mimi_cases.safetensors"));
        runCases(model, cases, runs, out);

        // NOTES.md: the same weights under the published checkpoint's attention names.
        const QString published = dir.filePath("mimi_model_published_names.safetensors");
        if (!QFileInfo::exists(published))
            return;
        const QString file = QStringLiteral("mimi_model_published_names");
        guarded(out, file, "decode_waveform", [&] {
            const auto publishedModel = MimiModel::load(published, config);
            out.push_back(compare(file, "decode_waveform", publishedModel->decode(caseTensor(cases, "decode_codes")),
                                  caseTensor(cases, "decode_waveform")));
            out.push_back(compare(file, "encode_codes", publishedModel->encode(caseTensor(cases, "encode_waveform")),
                                  caseTensor(cases, "encode_codes")));
        });
    });

    const QString intermediatesPath = dir.filePath("mimi_intermediates.safetensors");
    if (!QFileInfo::exists(intermediatesPath))
        return out;
    const QString file = QStringLiteral("mimi_intermediates");
    guarded(out, file, "load", [&] {
        const Tensors reference = loadTensors(intermediatesPath);
        std::map<std::string, torch::Tensor> sorted(reference.begin(), reference.end());
        for (const auto& [name, tensor] : sorted) {
            const QString qname = QString::fromStdString(name);
            guarded(out, file, qname, [&] { out.push_back(compare(file, qname, produced(runs, name), tensor)); });
        }
    });
    return out;
}

} // namespace echoforge
