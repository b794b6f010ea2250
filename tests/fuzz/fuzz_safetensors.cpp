// Fuzz target: the safetensors header (8-byte length, JSON) and its tensor table. An accepted
// file must describe only bytes inside it; every byte of every tensor is read, so a table that
// points outside the buffer is an ASan report. The same bytes are also read as a file, whole
// (as a model loads) and header only (as diagnostics do): all three must agree.

#include <optional>

#include "core/model/safetensors.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using echoforge::SafetensorsFile;

// The table an open gives, or nothing when it refuses (with a usable sentence).
template <class Open>
std::optional<std::vector<echoforge::TensorEntry>> tableOf(Open&& open, const QString& name) {
    std::optional<std::vector<echoforge::TensorEntry>> table;
    echoforge::fuzz::expectAcceptedOrRefused([&] { table = open()->entries(); }, name);
    return table;
}

bool sameTables(const std::optional<std::vector<echoforge::TensorEntry>>& a,
                const std::optional<std::vector<echoforge::TensorEntry>>& b) {
    if (a.has_value() != b.has_value())
        return false;
    if (!a)
        return true;
    if (a->size() != b->size())
        return false;
    for (std::size_t i = 0; i < a->size(); ++i)
        if ((*a)[i].name != (*b)[i].name || (*a)[i].offset != (*b)[i].offset || (*a)[i].bytes != (*b)[i].bytes ||
            (*a)[i].shape != (*b)[i].shape || (*a)[i].dtype != (*b)[i].dtype)
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString name = QStringLiteral("fuzz.safetensors");
    echoforge::fuzz::expectAcceptedOrRefused([&] {
        const auto file = SafetensorsFile::fromBytes(
            QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), name);
        unsigned sum = 0;
        for (const auto& entry : file->entries()) {
            if (std::size_t(entry.numel()) * echoforge::dtypeSize(entry.dtype) != entry.bytes)
                std::abort();   // the table's byte count must agree with its shape
            const std::byte* first = file->data(entry);
            for (std::size_t i = 0; i < entry.bytes; ++i)
                sum += unsigned(first[i]);
            if (file->find(entry.name) != &entry)
                std::abort();
        }
        volatile unsigned keep = sum;
        (void)keep;
    }, name);

    const QString path = echoforge::fuzz::writeScratchFile(name, data, size);
    const auto inMemory = tableOf([&] { return SafetensorsFile::fromBytes(
                                        QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), path); }, path);
    const auto whole = tableOf([&] { return SafetensorsFile::open(path); }, path);
    const auto headerOnly = tableOf([&] { return SafetensorsFile::open(path, SafetensorsFile::Read::HeaderOnly); }, path);
    if (!sameTables(inMemory, whole) || !sameTables(whole, headerOnly))
        std::abort();   // a file must read the same whichever way it is opened
    return 0;
}
