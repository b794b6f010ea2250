#include "core/model/safetensors.h"

#include <algorithm>
#include <cstring>
#include <new>

#include <fcntl.h>

#include <QFile>
#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace echoforge {

namespace {

// The reference implementation refuses headers above 100 MB; so do we, before parsing.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
constexpr std::size_t kLengthPrefixBytes = 8;

struct DTypeInfo {
    const char* name;
    TensorDType dtype;
    std::size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {"F32", TensorDType::F32, 4},  {"F16", TensorDType::F16, 2}, {"BF16", TensorDType::BF16, 2},
    {"F64", TensorDType::F64, 8},  {"I64", TensorDType::I64, 8}, {"I32", TensorDType::I32, 4},
    {"I16", TensorDType::I16, 2},  {"I8", TensorDType::I8, 1},   {"U8", TensorDType::U8, 1},
    {"BOOL", TensorDType::Bool, 1},
};

const DTypeInfo& infoOf(TensorDType dtype) {
    for (const auto& info : kDTypes)
        if (info.dtype == dtype)
            return info;
    return kDTypes[0];
}

[[noreturn]] void fail(const QString& file, const QString& problem) {
    throw Error(QStringLiteral("The weights file %1 is not a valid safetensors file: %2.").arg(file, problem));
}

[[noreturn]] void failTensor(const QString& file, const std::string& tensor, const QString& problem) {
    fail(file, QStringLiteral("tensor \"%1\" %2").arg(QString::fromStdString(tensor), problem));
}

// A JSON value as a non-negative integer that fits std::uint64_t, or nothing.
bool asCount(const nlohmann::json& v, std::uint64_t& out) {
    if (v.is_number_unsigned()) {
        out = v.get<std::uint64_t>();
        return true;
    }
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0) {
        out = static_cast<std::uint64_t>(v.get<std::int64_t>());
        return true;
    }
    return false;
}

std::uint64_t headerLength(const std::byte* prefix) {
    std::uint64_t headerBytes = 0;
    for (std::size_t i = 0; i < kLengthPrefixBytes; ++i)   // little-endian u64
        headerBytes |= std::uint64_t(std::to_integer<unsigned char>(prefix[i])) << (8 * i);
    return headerBytes;
}

// Reads up to `n` bytes, in pieces (one read() of gigabytes may return less); the count read.
qint64 readFully(QFile& file, char* into, qint64 n) {
    constexpr qint64 kPiece = qint64(64) << 20;
    qint64 done = 0;
    while (done < n) {
        const qint64 got = file.read(into + done, std::min(kPiece, n - done));
        if (got <= 0)
            break;
        done += got;
    }
    return done;
}

Error changedWhileRead(const QString& path) {
    return Error(ErrorKind::Io, QStringLiteral("The weights file %1 changed while it was being read (it was truncated, replaced or "
                                               "is still being written); wait until it is complete, then try again.").arg(path));
}

} // namespace

std::size_t dtypeSize(TensorDType dtype) { return infoOf(dtype).size; }
const char* dtypeName(TensorDType dtype) { return infoOf(dtype).name; }

int64_t TensorEntry::numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

SafetensorsFile::~SafetensorsFile() = default;

std::shared_ptr<const SafetensorsFile> SafetensorsFile::open(const QString& path, Read read) {
    QFile file(path);
    // Unbuffered: the pieces go straight into our memory, not through QIODevice's buffer.
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        throw Error(ErrorKind::Io, QStringLiteral("Cannot open the weights file %1: %2.").arg(path, file.errorString()));
    const qint64 size = file.size();
    if (size < qint64(kLengthPrefixBytes))
        fail(path, QStringLiteral("it holds %1 bytes, fewer than the 8-byte header length").arg(size));
    std::shared_ptr<SafetensorsFile> f(new SafetensorsFile);
    f->path_ = path;
    f->size_ = std::size_t(size);
    f->headerOnly_ = read == Read::HeaderOnly;
    qint64 wanted = size;
    if (f->headerOnly_) {
        // The length prefix, then the header it announces where parse() will accept its length
        // (otherwise parse() refuses the file from the prefix alone).
        char prefix[kLengthPrefixBytes];
        if (readFully(file, prefix, sizeof prefix) != qint64(sizeof prefix) || !file.seek(0))
            throw changedWhileRead(path);
        const std::uint64_t headerBytes = headerLength(reinterpret_cast<const std::byte*>(prefix));
        wanted = qint64(kLengthPrefixBytes) +
                 (headerBytes <= kMaxHeaderBytes && headerBytes <= std::uint64_t(size) - kLengthPrefixBytes ? qint64(headerBytes) : 0);
    }
    try {
        f->bytes_ = QByteArray(wanted, Qt::Uninitialized);
    } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::Limit, QStringLiteral("There is not enough memory to load the weights file %1 (%2 MB).")
                                          .arg(path).arg(wanted >> 20));
    }
    if (readFully(file, f->bytes_.data(), wanted) != wanted || file.size() != size)
        throw changedWhileRead(path);
    if (!f->headerOnly_) {
        // The bytes are ours now; the kernel's cached copy of the file would only double the
        // memory a model holds until it is pushed out.
        ::posix_fadvise(file.handle(), 0, 0, POSIX_FADV_DONTNEED);
    }
    f->base_ = reinterpret_cast<const std::byte*>(f->bytes_.constData());
    f->parse();
    return f;
}

std::shared_ptr<const SafetensorsFile> SafetensorsFile::fromBytes(QByteArray bytes, const QString& nameForErrors) {
    std::shared_ptr<SafetensorsFile> f(new SafetensorsFile);
    f->path_ = nameForErrors;
    f->bytes_ = std::move(bytes);
    f->base_ = reinterpret_cast<const std::byte*>(f->bytes_.constData());
    f->size_ = std::size_t(f->bytes_.size());
    if (f->size_ < kLengthPrefixBytes)
        fail(nameForErrors, QStringLiteral("it holds %1 bytes, fewer than the 8-byte header length").arg(f->size_));
    f->parse();
    return f;
}

const TensorEntry* SafetensorsFile::find(std::string_view name) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const TensorEntry& e, std::string_view n) { return e.name < n; });
    return it != entries_.end() && it->name == name ? &*it : nullptr;
}

void SafetensorsFile::parse() {
    const std::uint64_t headerBytes = headerLength(base_);
    if (headerBytes > kMaxHeaderBytes || headerBytes > size_ - kLengthPrefixBytes)
        fail(path_, QStringLiteral("its header length %1 does not fit in the file of %2 bytes").arg(headerBytes).arg(size_));

    const char* headerText = reinterpret_cast<const char*>(base_ + kLengthPrefixBytes);
    const nlohmann::json header = nlohmann::json::parse(headerText, headerText + headerBytes, nullptr, false);
    if (header.is_discarded())
        fail(path_, QStringLiteral("its header is not valid JSON"));
    if (!header.is_object())
        fail(path_, QStringLiteral("its header is not a JSON object"));

    const std::size_t dataStart = kLengthPrefixBytes + std::size_t(headerBytes);
    const std::size_t dataBytes = size_ - dataStart;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const nlohmann::json& value = it.value();
        if (name == "__metadata__") {
            if (!value.is_object())
                fail(path_, QStringLiteral("\"__metadata__\" is not a JSON object"));
            for (auto m = value.begin(); m != value.end(); ++m) {
                if (!m.value().is_string())
                    fail(path_, QStringLiteral("metadata \"%1\" is not a string").arg(QString::fromStdString(m.key())));
                metadata_[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        if (!value.is_object())
            failTensor(path_, name, QStringLiteral("is not described by a JSON object"));
        const auto dtypeIt = value.find("dtype");
        const auto shapeIt = value.find("shape");
        const auto offsetsIt = value.find("data_offsets");
        if (dtypeIt == value.end() || shapeIt == value.end() || offsetsIt == value.end())
            failTensor(path_, name, QStringLiteral("lacks one of \"dtype\", \"shape\" and \"data_offsets\""));

        if (!dtypeIt->is_string())
            failTensor(path_, name, QStringLiteral("has a dtype that is not a string"));
        const std::string dtypeText = dtypeIt->get<std::string>();
        const DTypeInfo* info = nullptr;
        for (const auto& candidate : kDTypes)
            if (dtypeText == candidate.name)
                info = &candidate;
        if (!info)
            failTensor(path_, name, QStringLiteral("has the unsupported dtype \"%1\"").arg(QString::fromStdString(dtypeText)));

        if (!shapeIt->is_array())
            failTensor(path_, name, QStringLiteral("has a shape that is not a list"));
        TensorEntry entry{name, info->dtype, {}, 0, 0};
        std::uint64_t elements = 1;
        for (const auto& dim : *shapeIt) {
            std::uint64_t d = 0;
            if (!asCount(dim, d) || d > std::uint64_t(INT64_MAX))
                failTensor(path_, name, QStringLiteral("has a shape entry that is not a non-negative integer"));
            if (__builtin_mul_overflow(elements, d, &elements))
                failTensor(path_, name, QStringLiteral("has a shape too large to address"));
            entry.shape.push_back(int64_t(d));
        }
        std::uint64_t expectedBytes = 0;
        if (__builtin_mul_overflow(elements, std::uint64_t(info->size), &expectedBytes))
            failTensor(path_, name, QStringLiteral("has a shape too large to address"));

        std::uint64_t begin = 0, end = 0;
        if (!offsetsIt->is_array() || offsetsIt->size() != 2 || !asCount((*offsetsIt)[0], begin) ||
            !asCount((*offsetsIt)[1], end))
            failTensor(path_, name, QStringLiteral("has \"data_offsets\" that are not two non-negative integers"));
        if (end < begin)
            failTensor(path_, name, QStringLiteral("has data_offsets [%1, %2] that end before they begin").arg(begin).arg(end));
        if (end > dataBytes)
            failTensor(path_, name, QStringLiteral("has data_offsets [%1, %2] beyond the %3 bytes of data (the file is truncated or corrupt)")
                                        .arg(begin).arg(end).arg(dataBytes));
        if (end - begin != expectedBytes)
            failTensor(path_, name, QStringLiteral("spans %1 bytes, but its shape and dtype %2 need %3")
                                        .arg(end - begin).arg(QString::fromLatin1(info->name)).arg(expectedBytes));
        entry.offset = dataStart + std::size_t(begin);
        entry.bytes = std::size_t(expectedBytes);
        entries_.push_back(std::move(entry));
    }

    // Tensors must not share bytes (empty tensors occupy none).
    std::vector<const TensorEntry*> byOffset;
    for (const auto& e : entries_)
        if (e.bytes > 0)
            byOffset.push_back(&e);
    std::sort(byOffset.begin(), byOffset.end(), [](auto* a, auto* b) { return a->offset < b->offset; });
    for (std::size_t i = 1; i < byOffset.size(); ++i)
        if (byOffset[i]->offset < byOffset[i - 1]->offset + byOffset[i - 1]->bytes)
            failTensor(path_, byOffset[i]->name, QStringLiteral("overlaps the data of tensor \"%1\"")
                                                     .arg(QString::fromStdString(byOffset[i - 1]->name)));
    // nlohmann's object is ordered by key, so entries_ is already sorted by name for find().
}

} // namespace echoforge
