#include "core/text/llama3_tokenizer.h"

#include <QString>

#include "core/common/error.h"
#include "core/text/llama3_pretokenizer.h"
#include "core/text/llama3_tokenizer_tables.h"
#include "core/text/utf8.h"

namespace echoforge {

Llama3Tokenizer::Llama3Tokenizer(std::shared_ptr<const Tables> tables) : tables_(std::move(tables)) {}

std::vector<int32_t> Llama3Tokenizer::encode(std::string_view utf8) const {
    std::string repaired;
    if (!text::isValidUtf8(utf8)) {
        repaired = text::replaceInvalidUtf8(utf8);
        utf8 = repaired;
    }
    std::vector<int32_t> ids;
    ids.reserve(utf8.size() / 4 + 1);  // English averages about 4.5 bytes per token
    for (size_t start = 0; start < utf8.size();) {
        const size_t end = text::llama3PieceEnd(utf8, start);
        tables_->bpe.encodePiece(utf8.substr(start, end - start), ids);
        start = end;
    }
    return ids;
}

std::string Llama3Tokenizer::decode(std::span<const int32_t> ids) const {
    std::string out;
    for (const int32_t id : ids) {
        if (id < 0 || id >= vocabSize())
            throw Error(QStringLiteral("Token id %1 is outside the Llama 3 vocabulary of %2 ids (from %3).")
                            .arg(id)
                            .arg(vocabSize())
                            .arg(tables_->path));
        out += tables_->idToBytes[id];
    }
    return out;
}

std::vector<int32_t> Llama3Tokenizer::encodeSegment(int speaker, std::string_view text) const {
    // csm generator.py _tokenize_text_segment: text_tokenizer.encode(f"[{speaker}]{text}"), whose
    // post-processor adds <|begin_of_text|> and <|end_of_text|>.
    std::string segment = "[" + std::to_string(speaker) + "]";
    segment.append(text);
    std::vector<int32_t> ids;
    ids.push_back(tables_->beginOfText);
    const std::vector<int32_t> body = encode(segment);
    ids.insert(ids.end(), body.begin(), body.end());
    ids.push_back(tables_->endOfText);
    return ids;
}

int32_t Llama3Tokenizer::beginOfTextId() const { return tables_->beginOfText; }
int32_t Llama3Tokenizer::endOfTextId() const { return tables_->endOfText; }
int32_t Llama3Tokenizer::vocabSize() const { return static_cast<int32_t>(tables_->idToBytes.size()); }
QString Llama3Tokenizer::sourcePath() const { return tables_->path; }

} // namespace echoforge
