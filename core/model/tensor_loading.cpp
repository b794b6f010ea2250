#include "core/model/tensor_loading.h"

#include <cstdint>

#include <ATen/CPUGeneratorImpl.h>
#include <QStringList>

#include "core/common/error.h"

namespace echoforge {

namespace {

QString shapeText(c10::IntArrayRef shape) {
    QStringList dims;
    for (int64_t d : shape)
        dims << QString::number(d);
    return QStringLiteral("[%1]").arg(dims.join(QStringLiteral(", ")));
}

} // namespace

torch::ScalarType torchTypeOf(TensorDType dtype) {
    switch (dtype) {
    case TensorDType::F32: return torch::kFloat32;
    case TensorDType::F16: return torch::kFloat16;
    case TensorDType::BF16: return torch::kBFloat16;
    case TensorDType::F64: return torch::kFloat64;
    case TensorDType::I64: return torch::kInt64;
    case TensorDType::I32: return torch::kInt32;
    case TensorDType::I16: return torch::kInt16;
    case TensorDType::I8: return torch::kInt8;
    case TensorDType::U8: return torch::kUInt8;
    case TensorDType::Bool: return torch::kBool;
    }
    return torch::kFloat32;
}

torch::Tensor tensorFrom(const std::shared_ptr<const SafetensorsFile>& file, const TensorEntry& entry) {
    const std::byte* data = file->data(entry);
    if (entry.dtype == TensorDType::Bool) {
        // Any byte other than 0 means true; torch's bool must be exactly 0 or 1.
        auto bytes = torch::from_blob(const_cast<std::byte*>(data), entry.shape, torch::kUInt8);
        return bytes.ne(0);
    }
    const auto options = torch::TensorOptions().dtype(torchTypeOf(entry.dtype));
    const bool aligned = reinterpret_cast<std::uintptr_t>(data) % dtypeSize(entry.dtype) == 0;
    // The bytes are the SafetensorsFile's own memory (it reads the file, it does not map it), so
    // handing torch a writable pointer cannot alter the file, and a file truncated or removed
    // after loading cannot take them away.
    void* mutableData = const_cast<std::byte*>(data);
    if (aligned) {
        auto keepAlive = file;
        return torch::from_blob(mutableData, entry.shape, [keepAlive](void*) {}, options);
    }
    return torch::from_blob(mutableData, entry.shape, options).clone();
}

WeightSet::WeightSet(std::shared_ptr<const SafetensorsFile> file) : file_(std::move(file)), source_(file_->path()) {
    for (const auto& entry : file_->entries())
        available_[entry.name] = {entry.shape, &entry, {}};
}

WeightSet::WeightSet(std::unordered_map<std::string, torch::Tensor> tensors, const QString& source,
                     std::function<std::string(const std::string&)> nameInFile)
    : source_(source), nameInFile_(std::move(nameInFile)) {
    for (auto& [name, tensor] : tensors)
        available_[name] = {tensor.sizes().vec(), nullptr, std::move(tensor)};
}

QString WeightSet::fileName(const std::string& name) const {
    return QString::fromStdString(nameInFile_ ? nameInFile_(name) : name);
}

torch::Tensor WeightSet::bind(const std::string& name, const Available& available, c10::IntArrayRef expectedShape) {
    if (c10::IntArrayRef(available.shape) != expectedShape)
        throw Error(QStringLiteral("The weights file %1 does not fit this model: tensor \"%2\" has shape %3, expected %4.")
                        .arg(source_, fileName(name), shapeText(available.shape), shapeText(expectedShape)));
    taken_.insert(name);
    return available.entry ? tensorFrom(file_, *available.entry) : available.tensor;
}

WeightSet WeightSet::random(torch::ScalarType dtype, std::uint64_t seed) {
    WeightSet set({}, QStringLiteral("(random weights)"));
    set.random_ = at::detail::createCPUGenerator(seed);
    set.randomType_ = dtype;
    return set;
}

torch::Tensor WeightSet::take(const std::string& name, c10::IntArrayRef expectedShape) {
    if (random_) {
        constexpr double kRange = 0.02;
        taken_.insert(name);
        auto values = torch::empty(expectedShape).uniform_(-kRange, kRange, *random_);
        // Vectors are the RMSNorm scales, near 1 in a trained model: at ±0.02 every layer would
        // shrink the activations fifty times and the logits would be too small to compare formats.
        if (expectedShape.size() == 1 && name.find("norm") != std::string::npos)
            values += 1.0;
        return values.to(randomType_);
    }
    const auto it = available_.find(name);
    if (it == available_.end())
        throw Error(QStringLiteral("The weights file %1 does not fit this model: it has no tensor \"%2\" (expected shape %3).")
                        .arg(source_, fileName(name), shapeText(expectedShape)));
    return bind(name, it->second, expectedShape);
}

torch::Tensor WeightSet::takeAny(std::initializer_list<std::string> spellings, c10::IntArrayRef expectedShape) {
    if (random_)
        return take(*spellings.begin(), expectedShape);
    for (const auto& name : spellings)
        if (const auto it = available_.find(name); it != available_.end())
            return bind(name, it->second, expectedShape);
    QStringList names;
    for (const auto& name : spellings)
        names << QStringLiteral("\"%1\"").arg(QString::fromStdString(name));
    throw Error(QStringLiteral("The weights file %1 does not fit this model: it has none of the tensors %2 (expected shape %3).")
                    .arg(source_, names.join(QStringLiteral(" or ")), shapeText(expectedShape)));
}

void WeightSet::finish() {
    QStringList unknown;
    for (const auto& [name, available] : available_)
        if (!taken_.count(name))
            unknown << QStringLiteral("\"%1\"").arg(fileName(name));
    if (!unknown.isEmpty())
        throw Error(QStringLiteral("The weights file %1 does not fit this model: it holds %2 tensor(s) the model does not know: %3.")
                        .arg(source_).arg(unknown.size()).arg(unknown.join(QStringLiteral(", "))));
}

std::unordered_map<std::string, torch::Tensor> loadTensors(const QString& path) {
    const auto file = SafetensorsFile::open(path);
    std::unordered_map<std::string, torch::Tensor> tensors;
    for (const auto& entry : file->entries())
        tensors.emplace(entry.name, tensorFrom(file, entry));
    return tensors;
}

} // namespace echoforge
