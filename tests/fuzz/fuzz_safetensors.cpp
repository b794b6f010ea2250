// Fuzz target: the safetensors header (8-byte length, JSON) and its tensor table. An accepted
// file must describe only bytes inside it; every byte of every tensor is read, so a table that
// points outside the buffer is an ASan report.

#include "core/model/safetensors.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString name = QStringLiteral("fuzz.safetensors");
    echoforge::fuzz::expectAcceptedOrRefused([&] {
        const auto file = echoforge::SafetensorsFile::fromBytes(
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
    return 0;
}
