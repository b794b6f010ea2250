#pragma once
// Writes safetensors files: test models made in code, converted checkpoints. Torch-free.

#include <map>
#include <string>
#include <vector>

#include <QByteArray>
#include <QString>

#include "core/model/safetensors.h"

namespace echoforge {

struct TensorToWrite {
    std::string name;
    TensorDType dtype = TensorDType::F32;
    std::vector<int64_t> shape;
    QByteArray bytes;   // product(shape) * dtypeSize(dtype) bytes, little-endian
};

// Writes atomically; throws echoforge::Error naming the file or the tensor whose byte count does
// not fit its shape.
void writeSafetensors(const QString& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace echoforge
