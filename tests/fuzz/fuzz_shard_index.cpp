// Fuzz target: a sharded checkpoint's model.safetensors.index.json
// ({"metadata": {..}, "weight_map": {"tensor": "shard file"}}), read as the loader and the model
// manager read it: the shard list, then every shard opened and checked against the map. Two
// small shards sit beside the index in the scratch folder, so a mutated map meets real files.
// A shard name must never lead outside the index's folder; what is accepted must hold every
// tensor of the map in exactly one of the files it returns, and reading the tables alone
// (diagnostics) must find the same tables.

#include <set>
#include <string>

#include <QFileInfo>

#include "core/model/checkpoint_files.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

// An 8-byte little-endian header length, the JSON header, then the data.
QByteArray safetensors(const std::string& header, const QByteArray& data) {
    QByteArray bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = char((std::uint64_t(header.size()) >> (8 * i)) & 0xff);
    return bytes + QByteArray::fromStdString(header) + data;
}

void writeShards() {
    static const bool written = [] {
        const QByteArray one = safetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                           R"("b":{"dtype":"I8","shape":[4],"data_offsets":[8,12]}})",
                                           QByteArray(12, '\x01'));
        const QByteArray two = safetensors(R"({"c":{"dtype":"BF16","shape":[2,4],"data_offsets":[0,16]}})",
                                           QByteArray(16, '\x02'));
        echoforge::fuzz::writeScratchFile(QStringLiteral("model-00001-of-00002.safetensors"),
                                          reinterpret_cast<const std::uint8_t*>(one.constData()), std::size_t(one.size()));
        echoforge::fuzz::writeScratchFile(QStringLiteral("model-00002-of-00002.safetensors"),
                                          reinterpret_cast<const std::uint8_t*>(two.constData()), std::size_t(two.size()));
        return true;
    }();
    (void)written;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    writeShards();
    const QString index = echoforge::fuzz::writeScratchFile(QStringLiteral("model.safetensors.index.json"), data, size);
    const QString folder = QFileInfo(index).absolutePath();
    // Every refusal names the index or one of its shards, both in the scratch folder.
    echoforge::fuzz::expectAcceptedOrRefused([&] {
        const QStringList shards = echoforge::checkpointShards(index);
        for (const QString& shard : shards)
            if (QFileInfo(shard).absolutePath() != folder)
                std::abort();   // an index must not reach outside its folder
        // Diagnostics read the tables alone; they must accept what loading accepts, the same way.
        const auto tables = echoforge::openCheckpoint(index, echoforge::SafetensorsFile::Read::HeaderOnly);
        const auto files = echoforge::openCheckpoint(index);
        if (files.size() != std::size_t(shards.size()) || tables.size() != files.size())
            std::abort();
        for (std::size_t i = 0; i < files.size(); ++i)
            if (tables[i]->entries().size() != files[i]->entries().size() ||
                (!tables[i]->entries().empty() && tables[i]->entries().back().offset != files[i]->entries().back().offset))
                std::abort();
        std::set<std::string> seen;
        for (const auto& file : files)
            for (const auto& entry : file->entries())
                if (!seen.insert(entry.name).second)
                    std::abort();   // a tensor in two shards must have been refused
        (void)echoforge::detectCsmWeightFormat(files);
    }, folder);
    return 0;
}
