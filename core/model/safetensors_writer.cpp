#include "core/model/safetensors_writer.h"

#include <cstring>

#include <QSaveFile>
#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace echoforge {

void writeSafetensors(const QString& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::size_t offset = 0;
    for (const TensorToWrite& t : tensors) {
        std::size_t elements = 1;
        for (int64_t d : t.shape)
            elements *= std::size_t(d);
        if (elements * dtypeSize(t.dtype) != std::size_t(t.bytes.size()))
            throw Error(QStringLiteral("Cannot write %1: the tensor %2 has %3 bytes, its shape needs %4.")
                            .arg(path, QString::fromStdString(t.name)).arg(t.bytes.size())
                            .arg(elements * dtypeSize(t.dtype)));
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + std::size_t(t.bytes.size())}}};
        offset += std::size_t(t.bytes.size());
    }
    std::string json = header.dump();
    json.append((8 - json.size() % 8) % 8, ' ');  // keeps the data 8-byte aligned
    const std::uint64_t headerSize = json.size();

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw Error(QStringLiteral("Cannot write %1: %2.").arg(path, file.errorString()));
    char sizeBytes[8];
    std::memcpy(sizeBytes, &headerSize, 8);  // little-endian hosts only, as the reader
    file.write(sizeBytes, 8);
    file.write(json.data(), qint64(json.size()));
    for (const TensorToWrite& t : tensors)
        file.write(t.bytes);
    if (!file.commit())
        throw Error(QStringLiteral("Cannot write %1: %2.").arg(path, file.errorString()));
}

} // namespace echoforge
