#pragma once
// safetensors entries as torch tensors, and strict binding of a checkpoint's names to a model.
// Includes torch: for model code only (core/model, core/codec); public headers use safetensors.h.

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include <QString>
#include <torch/torch.h>

#include "core/model/safetensors.h"

namespace echoforge {

torch::ScalarType torchTypeOf(TensorDType dtype);

// The entry's data as a tensor of its own dtype and shape. Without a copy where the data is
// suitably aligned (the tensor then keeps the file's bytes alive); a copy otherwise, and for BOOL,
// whose bytes are normalised to 0/1.
torch::Tensor tensorFrom(const std::shared_ptr<const SafetensorsFile>& file, const TensorEntry& entry);

// Hands out a checkpoint's tensors by name, checking shapes; finish() then refuses any tensor
// the model did not ask for. Every error names the file, the tensor and both shapes.
class WeightSet {
public:
    explicit WeightSet(std::shared_ptr<const SafetensorsFile> file);
    // Tensors made in memory (tests, translated checkpoints); `source` names them in errors, and
    // `nameInFile` gives, for our name of a tensor renamed on the way, the name the file uses.
    WeightSet(std::unordered_map<std::string, torch::Tensor> tensors, const QString& source,
              std::function<std::string(const std::string&)> nameInFile = {});
    // Hands out random tensors of `dtype` (uniform in ±0.02; the norms' scales around 1) for
    // whatever is asked: a full-size model for benchmarks without a weights file.
    static WeightSet random(torch::ScalarType dtype, std::uint64_t seed);

    // The tensor called `name`, which must have `expectedShape`.
    torch::Tensor take(const std::string& name, c10::IntArrayRef expectedShape);
    // The first of several spellings of one tensor that the file holds (old and new names).
    torch::Tensor takeAny(std::initializer_list<std::string> spellings, c10::IntArrayRef expectedShape);
    bool has(const std::string& name) const { return available_.count(name) > 0; }
    // Throws naming every tensor of the file that was never taken.
    void finish();

    const QString& source() const { return source_; }

private:
    struct Available {
        std::vector<int64_t> shape;
        const TensorEntry* entry = nullptr;   // in file_, or
        torch::Tensor tensor;                 // held in memory
    };
    torch::Tensor bind(const std::string& name, const Available& available, c10::IntArrayRef expectedShape);
    QString fileName(const std::string& name) const;   // as the file spells it, for messages

    std::shared_ptr<const SafetensorsFile> file_;
    QString source_;
    std::map<std::string, Available> available_;
    std::function<std::string(const std::string&)> nameInFile_;
    std::optional<at::Generator> random_;
    torch::ScalarType randomType_ = torch::kFloat32;
    std::set<std::string> taken_;
};

// Every tensor of a file by name (test cases, golden sets).
std::unordered_map<std::string, torch::Tensor> loadTensors(const QString& path);

} // namespace echoforge
