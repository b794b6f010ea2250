#include "core/codec/mimi/mimi_config.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include <QFile>
#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace echoforge::mimi {
namespace {

using nlohmann::json;

// Whether every number in `value` (one, or a list of them) converts to T without overflow: a
// float-to-int conversion out of range is undefined behaviour inside get<T>(), and a literal such
// as 1e999 reads as infinity. Values of other types are left to get<T>() to refuse.
template <typename T>
bool numbersFit(const json& value) {
    if (value.is_array()) {
        if constexpr (requires { typename T::value_type; })
            return std::all_of(value.begin(), value.end(), [](const json& v) { return numbersFit<typename T::value_type>(v); });
        return true;
    }
    if (!value.is_number())
        return true;
    const double x = value.get<double>();
    if constexpr (std::is_integral_v<T>)
        return x >= double(std::numeric_limits<T>::min()) && x <= double(std::numeric_limits<T>::max());
    return std::isfinite(x);
}

// Reads `key` of `object` into `out` when present; a value of the wrong type is an error.
template <typename T>
void readOptional(const json& object, const char* key, T& out, const QString& source, const char* section) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return;
    const QString field = *section ? QStringLiteral("%1.%2").arg(section, key) : QString(key);
    if (!numbersFit<T>(*it))
        throw Error(QStringLiteral("The Mimi configuration %1 has a value for \"%2\" that is out of range (or not "
                                   "finite).").arg(source, field));
    try {
        out = it->get<T>();
    } catch (const json::exception&) {
        throw Error(QStringLiteral("The Mimi configuration %1 has an invalid value for \"%2\".").arg(source, field));
    }
}

// Keys that choose a variant of a module: only the value the published Mimi uses is supported.
void requireValue(const json& object, const char* key, const json& supported, const QString& source,
                  const char* section) {
    const auto it = object.find(key);
    if (it == object.end() || *it == supported)
        return;
    throw Error(QStringLiteral("The Mimi configuration %1 sets \"%2.%3\" to %4; this port supports only %5, "
                               "as in the published Mimi.")
                    .arg(source, section, key, QString::fromStdString(it->dump()),
                         QString::fromStdString(supported.dump())));
}

const json& sectionOf(const json& root, const char* name, const QString& source) {
    const auto it = root.find(name);
    if (it == root.end() || !it->is_object())
        throw Error(QStringLiteral("The Mimi configuration %1 has no \"%2\" section.").arg(source, name));
    return *it;
}

} // namespace

int SeanetConfig::hopLength() const {
    int hop = 1;
    for (int r : ratios)
        hop *= r;
    return hop;
}

int MimiConfig::resampleStride() const {
    return static_cast<int>(std::lround(encoderFrameRate() / frameRate));
}

MimiConfig MimiConfig::real() {
    return MimiConfig{};   // the defaults are the published model's values
}

MimiConfig MimiConfig::fromJsonFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read the Mimi configuration %1: %2.").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    return fromJsonText(bytes.toStdString(), path);
}

MimiConfig MimiConfig::fromJsonText(const std::string& text, const QString& source) {
    const json root = json::parse(text, nullptr, false);
    if (root.is_discarded() || !root.is_object())
        throw Error(QStringLiteral("The Mimi configuration %1 is not a JSON object.").arg(source));

    MimiConfig c;
    readOptional(root, "sample_rate", c.sampleRate, source, "");
    readOptional(root, "channels", c.channels, source, "");
    readOptional(root, "frame_rate", c.frameRate, source, "");

    const json& seanet = sectionOf(root, "seanet", source);
    SeanetConfig& s = c.seanet;
    readOptional(seanet, "channels", s.channels, source, "seanet");
    readOptional(seanet, "dimension", s.dimension, source, "seanet");
    readOptional(seanet, "n_filters", s.nFilters, source, "seanet");
    readOptional(seanet, "n_residual_layers", s.nResidualLayers, source, "seanet");
    readOptional(seanet, "ratios", s.ratios, source, "seanet");
    readOptional(seanet, "kernel_size", s.kernelSize, source, "seanet");
    readOptional(seanet, "residual_kernel_size", s.residualKernelSize, source, "seanet");
    readOptional(seanet, "last_kernel_size", s.lastKernelSize, source, "seanet");
    readOptional(seanet, "dilation_base", s.dilationBase, source, "seanet");
    readOptional(seanet, "compress", s.compress, source, "seanet");
    requireValue(seanet, "causal", true, source, "seanet");
    requireValue(seanet, "activation", "ELU", source, "seanet");
    requireValue(seanet, "norm", "none", source, "seanet");
    requireValue(seanet, "pad_mode", "constant", source, "seanet");
    requireValue(seanet, "true_skip", true, source, "seanet");

    const json& transformer = sectionOf(root, "transformer", source);
    TransformerConfig& t = c.transformer;
    readOptional(transformer, "d_model", t.dModel, source, "transformer");
    readOptional(transformer, "num_heads", t.numHeads, source, "transformer");
    readOptional(transformer, "num_layers", t.numLayers, source, "transformer");
    readOptional(transformer, "dim_feedforward", t.dimFeedforward, source, "transformer");
    readOptional(transformer, "context", t.context, source, "transformer");
    readOptional(transformer, "max_period", t.maxPeriod, source, "transformer");
    requireValue(transformer, "causal", true, source, "transformer");
    requireValue(transformer, "conv_layout", true, source, "transformer");
    requireValue(transformer, "gating", "none", source, "transformer");
    requireValue(transformer, "norm", "layer_norm", source, "transformer");
    requireValue(transformer, "positional_embedding", "rope", source, "transformer");
    // ProjectedTransformer adds input/output projections only when these differ from d_model.
    requireValue(transformer, "input_dimension", t.dModel, source, "transformer");
    requireValue(transformer, "output_dimensions", json::array({t.dModel}), source, "transformer");
    if (const auto it = transformer.find("layer_scale"); it != transformer.end() && it->is_null())
        throw Error(QStringLiteral("The Mimi configuration %1 disables the transformer's layer scale; this port "
                                   "supports only layer scale, as in the published Mimi.").arg(source));

    const json& quantizer = sectionOf(root, "quantizer", source);
    QuantizerConfig& q = c.quantizer;
    readOptional(quantizer, "dimension", q.dimension, source, "quantizer");
    readOptional(quantizer, "n_q", q.numCodebooks, source, "quantizer");
    readOptional(quantizer, "n_q_semantic", q.semanticCodebooks, source, "quantizer");
    readOptional(quantizer, "bins", q.bins, source, "quantizer");
    readOptional(quantizer, "input_dimension", q.inputDimension, source, "quantizer");
    readOptional(quantizer, "output_dimension", q.outputDimension, source, "quantizer");

    c.validate(source);
    return c;
}

void MimiConfig::validate(const QString& source) const {
    auto fail = [&](const QString& what) {
        throw Error(QStringLiteral("The Mimi configuration %1 is inconsistent: %2.").arg(source, what));
    };
    if (sampleRate <= 0 || frameRate <= 0)
        fail(QStringLiteral("sample_rate and frame_rate must be positive"));
    if (channels != 1 || seanet.channels != 1)
        fail(QStringLiteral("only mono audio (channels = 1) is supported"));
    if (seanet.ratios.empty())
        fail(QStringLiteral("seanet.ratios is empty"));
    for (int r : seanet.ratios)
        if (r <= 0)
            fail(QStringLiteral("seanet.ratios must be positive"));
    if (seanet.dimension <= 0 || seanet.nFilters <= 0 || seanet.compress <= 0 || seanet.nResidualLayers < 0 ||
        seanet.kernelSize <= 0 || seanet.residualKernelSize <= 0 || seanet.lastKernelSize <= 0 ||
        seanet.dilationBase <= 0)
        fail(QStringLiteral("a seanet size is not positive"));
    const double stride = encoderFrameRate() / frameRate;
    if (stride < 1.0 || std::abs(stride - std::round(stride)) > 1e-9)
        fail(QStringLiteral("sample_rate / prod(seanet.ratios) / frame_rate = %1 is not a whole stride").arg(stride));
    if (resampleStride() == 1)
        fail(QStringLiteral("the encoder frame rate equals the frame rate; the published Mimi resamples by 2"));
    if (transformer.dModel != seanet.dimension)
        fail(QStringLiteral("transformer.d_model (%1) differs from seanet.dimension (%2)")
                 .arg(transformer.dModel).arg(seanet.dimension));
    if (transformer.numHeads <= 0 || transformer.dModel % transformer.numHeads != 0 ||
        transformer.headDim() % 2 != 0)
        fail(QStringLiteral("transformer.d_model must split into heads of even width"));
    if (transformer.numLayers < 0 || transformer.dimFeedforward <= 0 || transformer.context <= 0)
        fail(QStringLiteral("transformer sizes must be positive"));
    if (quantizer.inputDimension != seanet.dimension || quantizer.outputDimension != seanet.dimension)
        fail(QStringLiteral("quantizer input/output dimensions must equal seanet.dimension"));
    if (quantizer.semanticCodebooks < 1 || quantizer.numCodebooks <= quantizer.semanticCodebooks)
        fail(QStringLiteral("quantizer.n_q must exceed n_q_semantic, which must be at least 1"));
    if (quantizer.bins <= 0 || quantizer.dimension <= 0)
        fail(QStringLiteral("quantizer sizes must be positive"));
}

} // namespace echoforge::mimi
