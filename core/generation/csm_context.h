#pragma once
// Turns a character's reference segments (clip + transcript + speaker) into CSM context, as the
// reference generator does, with each clip's Mimi codes cached on disk so a clip is encoded once.

#include <QString>

#include "core/codec/mimi/mimi_codec.h"
#include "core/generation/clone_codes_cache.h"
#include "core/generation/csm_prompt.h"
#include "core/text/llama3_tokenizer.h"
#include "core/voices/character.h"

namespace echoforge {

class CsmContext {
public:
    CsmContext(const Llama3Tokenizer& tokenizer, const MimiCodec& codec, QString codecIdentity, QString cacheDir);

    // The clip's codes: from the cache, or read (any format), resampled to the codec's rate,
    // encoded and cached. `wasCached` says which.
    CodeMatrix referenceCodes(const QString& audioPath, bool* wasCached = nullptr) const;

    // `[speaker]text` between <|begin_of_text|> and <|end_of_text|>, one frame per token.
    void appendText(CsmPromptBuilder& prompt, int speaker, const QString& text) const;
    // The segment's text frames, then its audio frames and the end-of-audio frame.
    void appendSegment(CsmPromptBuilder& prompt, const ReferenceSegment& segment) const;
    void appendSegment(CsmPromptBuilder& prompt, int speaker, const QString& text, const CodeMatrix& codes) const;

    // Frames that `text` spoken by `speaker` takes as a text segment.
    int textFrames(int speaker, const QString& text) const;

private:
    const Llama3Tokenizer& tokenizer_;
    const MimiCodec& codec_;
    QString codecIdentity_;
    CloneCodesCache cache_;
};

// A short stable identity of a model file: its size and a hash of its header and first bytes.
// Changes when the weights change; cheap for a 6 GB file.
QString modelFileIdentity(const QString& path);

} // namespace echoforge
