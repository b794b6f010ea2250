#pragma once
// A safetensors file (https://github.com/huggingface/safetensors), mapped and validated.
//
// Layout: an 8-byte little-endian header length N, N bytes of JSON
//   {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {..}}
// then the data section; offsets are relative to its start. Every defect found while opening is
// an echoforge::Error naming the file, the tensor and the problem. No torch types here: the Mimi
// codec, the CLI and tests use this header; core/model/tensor_loading.h turns entries into tensors.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <QByteArray>
#include <QString>

class QFile;

namespace echoforge {

enum class TensorDType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

// Bytes per element, and the name the format uses ("F32", "BOOL", ...).
std::size_t dtypeSize(TensorDType dtype);
const char* dtypeName(TensorDType dtype);

struct TensorEntry {
    std::string name;
    TensorDType dtype;
    std::vector<int64_t> shape;
    std::size_t offset;   // of the first byte, from the start of the file
    std::size_t bytes;    // = product(shape) * dtypeSize(dtype)

    int64_t numel() const;
};

class SafetensorsFile {
public:
    // Maps the file (copy-on-write, so nothing is read until used) and validates the header.
    static std::shared_ptr<const SafetensorsFile> open(const QString& path);
    // Validates a file held in memory; `nameForErrors` stands for the path in messages.
    static std::shared_ptr<const SafetensorsFile> fromBytes(QByteArray bytes, const QString& nameForErrors);

    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    // Sorted by name.
    const std::vector<TensorEntry>& entries() const { return entries_; }
    const TensorEntry* find(std::string_view name) const;
    // The first byte of an entry's data; valid while this object lives.
    const std::byte* data(const TensorEntry& entry) const { return base_ + entry.offset; }
    QString path() const { return path_; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }

private:
    SafetensorsFile() = default;
    void parse();   // fills entries_ and metadata_ from base_/size_, or throws

    QString path_;
    std::unique_ptr<QFile> file_;    // when mapped
    QByteArray bytes_;               // when held in memory
    const std::byte* base_ = nullptr;
    std::size_t size_ = 0;
    std::vector<TensorEntry> entries_;
    std::map<std::string, std::string> metadata_;
};

} // namespace echoforge
