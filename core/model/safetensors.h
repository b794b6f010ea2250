#pragma once
// A safetensors file (https://github.com/huggingface/safetensors), read and validated.
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
    // How much of the file open() reads.
    enum class Read {
        Everything,   // the whole file, into memory of this object's own: loading a model
        HeaderOnly,   // the header alone (what diagnostics show): entries() only, data() is null
    };
    // Reads the file and validates the header. The data is read, not memory-mapped: a file
    // truncated under a mapping makes the next access to a lost page raise SIGBUS, which kills
    // the studio or the server mid-generation (issue 18: a model file truncated while CSM has it
    // loaded). Memory of our own stays valid whatever then happens to the file, and a file that
    // shrinks or grows while it is read is refused with a sentence. The cost: the whole file is
    // read at load rather than on the first frame (a model reads every weight each frame, so a
    // mapping read it all then too), and two processes loading one model no longer share its pages.
    static std::shared_ptr<const SafetensorsFile> open(const QString& path, Read read = Read::Everything);
    // Validates a file held in memory; `nameForErrors` stands for the path in messages.
    static std::shared_ptr<const SafetensorsFile> fromBytes(QByteArray bytes, const QString& nameForErrors);

    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    // Sorted by name.
    const std::vector<TensorEntry>& entries() const { return entries_; }
    const TensorEntry* find(std::string_view name) const;
    // The first byte of an entry's data; valid while this object lives. Null for Read::HeaderOnly.
    const std::byte* data(const TensorEntry& entry) const { return headerOnly_ ? nullptr : base_ + entry.offset; }
    QString path() const { return path_; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }

private:
    SafetensorsFile() = default;
    void parse();   // fills entries_ and metadata_ from base_/size_, or throws

    QString path_;
    QByteArray bytes_;               // the file (or, header only, its first 8 + N bytes)
    const std::byte* base_ = nullptr;
    std::size_t size_ = 0;           // of the file
    bool headerOnly_ = false;
    std::vector<TensorEntry> entries_;
    std::map<std::string, std::string> metadata_;
};

} // namespace echoforge
