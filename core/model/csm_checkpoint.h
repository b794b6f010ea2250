#pragma once
// CSM weights in either published format, as one WeightSet under the original checkpoint's names
// (SesameAILabs/csm models.py; tests/data/golden/README.md "CSM names"). Torch TUs only.
//
// The Hugging Face transformers format (CsmForConditionalGeneration, made by transformers'
// models/csm/convert_csm.py) renames every tensor and permutes the q/k rows of each head so that
// a rotate_half RoPE computes what the original's interleaved-pair RoPE computes. The rows are
// put back here, so one transformer implementation serves both.

#include <QString>

#include "core/model/csm_config.h"
#include "core/model/tensor_loading.h"

namespace echoforge {

// `path`: a .safetensors file or a *.safetensors.index.json with its shards. `config` gives the
// head counts the permutation needs and whether the decoder has its own code embeddings.
// Tensors of the transformers file's Mimi codec (codec_model.*) are not CSM's and are left out;
// EchoForge's Mimi comes from mimi/.
WeightSet openCsmWeights(const QString& path, const CsmConfig& config);

// transformers convert_csm.py permute_for_rope, undone: per head, rows [half 0 | half 1] of
// w [heads·headDim, in] go back to interleaved pairs (2i, 2i+1).
torch::Tensor unpermuteRopeRows(const torch::Tensor& w, int64_t heads, int64_t headDim);

} // namespace echoforge
