#pragma once
// The loaded state behind Llama3Tokenizer (internal to core/text).

#include <string>
#include <vector>

#include <QString>

#include "core/text/bpe.h"
#include "core/text/llama3_tokenizer.h"

namespace echoforge {

struct Llama3Tokenizer::Tables {
    QString path;
    text::BpeModel bpe;
    std::vector<std::string> idToBytes;  // every id's raw bytes; a special id's text
    int32_t beginOfText = -1;
    int32_t endOfText = -1;
};

} // namespace echoforge
