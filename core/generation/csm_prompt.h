#pragma once
// A CSM prompt as the reference generator builds it (SesameAILabs/csm generator.py): a sequence
// of frames, each K+1 columns wide (K audio codebooks, then one text column), with a mask saying
// which columns are real. Torch-free: the model turns it into tensors.

#include <cstdint>
#include <span>
#include <vector>

namespace echoforge {

// Audio codes of a clip: codes[k][f] for codebook k and frame f.
using CodeMatrix = std::vector<std::vector<std::int64_t>>;

class CsmPromptBuilder {
public:
    explicit CsmPromptBuilder(int numCodebooks) : numCodebooks_(numCodebooks) {}

    int numCodebooks() const { return numCodebooks_; }
    int width() const { return numCodebooks_ + 1; }
    int frames() const { return static_cast<int>(tokens_.size()) / width(); }

    // One frame per text token, id in the last column (generator.py _tokenize_text_segment).
    // `ids` already hold <|begin_of_text|> and <|end_of_text|>.
    void appendText(std::span<const std::int32_t> ids);

    // One frame per audio frame, codes in the first K columns, followed by one all-zero
    // end-of-audio frame that is still masked as audio (generator.py _tokenize_audio).
    void appendAudio(const CodeMatrix& codes);

    void append(const CsmPromptBuilder& other);

    // Marks the frames so far as shared by many prompts (a character's reference clips): the
    // model keeps their keys and values and reuses them when the next prompt starts the same.
    void markReusablePrefix() { reusablePrefixFrames_ = frames(); }
    int reusablePrefixFrames() const { return reusablePrefixFrames_; }

    // Row-major [frames, K+1].
    const std::vector<std::int64_t>& tokens() const { return tokens_; }
    const std::vector<std::uint8_t>& mask() const { return mask_; }

private:
    int numCodebooks_;
    int reusablePrefixFrames_ = 0;
    std::vector<std::int64_t> tokens_;
    std::vector<std::uint8_t> mask_;
};

// How many frames the model's window leaves for the prompt when `maxFrames` are to be generated:
// the reference raises when prompt_frames >= window - maxFrames.
int maxPromptFrames(int window, int maxFrames);

} // namespace echoforge
