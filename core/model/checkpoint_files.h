#pragma once
// A checkpoint as Hugging Face publishes it: one safetensors file, or shards listed by an index
// (`model.safetensors.index.json`: {"metadata": {..}, "weight_map": {"tensor": "shard file"}}),
// and which naming it uses. Torch-free: the loader, `diagnostic` and the model manager use it.

#include <memory>
#include <vector>

#include <QString>
#include <QStringList>

#include "core/model/safetensors.h"

namespace echoforge {

// True for a path ending in ".safetensors.index.json".
bool isCheckpointIndex(const QString& path);

// The shard files an index names, in the index's folder, each once, in name order. Throws
// echoforge::Error naming the index for bad JSON, a missing weight_map, or a shard name that is
// not a plain file name beside the index (an index must not point elsewhere on the disk).
QStringList checkpointShards(const QString& indexPath);

// Opens `path` (a .safetensors file, or an index and every shard it names). For an index, each
// tensor of weight_map must be in the shard it names, and no tensor may be in two shards.
// Read::HeaderOnly for what only looks at the tensor table (diagnostics).
std::vector<std::shared_ptr<const SafetensorsFile>> openCheckpoint(
    const QString& path, SafetensorsFile::Read read = SafetensorsFile::Read::Everything);

enum class CsmWeightFormat { Original, Transformers };

// Transformers names start "backbone_model." or "depth_decoder."; anything else is taken for
// the original checkpoint's naming (the loader then names what does not fit).
CsmWeightFormat detectCsmWeightFormat(const std::vector<std::shared_ptr<const SafetensorsFile>>& files);
QString csmWeightFormatName(CsmWeightFormat format);   // "original", "transformers"

} // namespace echoforge
