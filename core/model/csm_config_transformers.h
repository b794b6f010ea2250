#pragma once
// Hugging Face transformers' CsmConfig (src/transformers/models/csm/configuration_csm.py) read
// into our CsmConfig. Internal to csm_config.cpp's reader.

#include <QString>
#include <nlohmann/json.hpp>

#include "core/model/csm_config.h"

namespace echoforge {

// True when `root` is a transformers config: "model_type": "csm", or its field names.
bool isTransformersCsmConfig(const nlohmann::json& root);

// Every field transformers defaults is defaulted the same way (a missing or null field takes
// CsmConfig's or CsmDepthDecoderConfig's default), so a fine-tune's config.json that names
// only what it changed reads as transformers reads it. Throws echoforge::Error naming the
// field for what our port cannot compute (another activation, biases, a RoPE type it lacks).
CsmConfig csmConfigFromTransformers(const nlohmann::json& root, const QString& source);

} // namespace echoforge
