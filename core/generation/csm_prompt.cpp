#include "core/generation/csm_prompt.h"

#include "core/common/error.h"

namespace echoforge {

void CsmPromptBuilder::appendText(std::span<const std::int32_t> ids) {
    for (std::int32_t id : ids) {
        for (int k = 0; k < numCodebooks_; ++k) {
            tokens_.push_back(0);
            mask_.push_back(0);
        }
        tokens_.push_back(id);
        mask_.push_back(1);
    }
}

void CsmPromptBuilder::appendAudio(const CodeMatrix& codes) {
    if (static_cast<int>(codes.size()) != numCodebooks_)
        throw Error(QStringLiteral("The audio codes have %1 codebooks, but the model expects %2.")
                        .arg(codes.size()).arg(numCodebooks_));
    const std::size_t frameCount = codes.empty() ? 0 : codes.front().size();
    for (const auto& row : codes)
        if (row.size() != frameCount)
            throw Error("The audio codes have codebooks of different lengths.");
    // frameCount frames of codes, then the end-of-audio frame of zeros.
    for (std::size_t f = 0; f <= frameCount; ++f) {
        for (int k = 0; k < numCodebooks_; ++k) {
            tokens_.push_back(f < frameCount ? codes[k][f] : 0);
            mask_.push_back(1);
        }
        tokens_.push_back(0);
        mask_.push_back(0);
    }
}

void CsmPromptBuilder::append(const CsmPromptBuilder& other) {
    if (other.numCodebooks_ != numCodebooks_)
        throw Error("Cannot join prompts made for models with different numbers of codebooks.");
    tokens_.insert(tokens_.end(), other.tokens_.begin(), other.tokens_.end());
    mask_.insert(mask_.end(), other.mask_.begin(), other.mask_.end());
}

int maxPromptFrames(int window, int maxFrames) {
    return window - maxFrames - 1;
}

} // namespace echoforge
