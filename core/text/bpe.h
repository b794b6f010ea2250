#pragma once
// Byte-pair encoding of one pre-tokenized piece, by merge rank (Sennrich et al. 2016; the
// semantics of Hugging Face tokenizers' BPE model): start from single bytes, repeatedly merge the
// adjacent pair whose merge comes first in the merge list (leftmost on ties) until none applies.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/text/piece_cache.h"
#include "core/text/token_index.h"

namespace echoforge::text {

class BpeModel {
public:
    // A token of the vocabulary, by its raw bytes. Returns false when the bytes are already there.
    bool addToken(std::string_view bytes, int32_t id) { return tokens_.insert(bytes, id); }
    // The id of a token's raw bytes, or -1.
    int32_t tokenId(std::string_view bytes) const { return tokens_.find(bytes); }
    // Adds the merge of two tokens with the next rank; a pair seen before keeps its first rank.
    void addMerge(int32_t left, int32_t right, int32_t merged);
    // Hints for loading: the expected sizes, and the slots of a batch (TokenIndex::prefetch).
    void reserve(size_t tokens, size_t merges) {
        tokens_.reserve(tokens);
        merges_.reserve(merges);
    }
    void prefetchToken(std::string_view bytes) const { tokens_.prefetch(bytes); }
    void prefetchMerge(int32_t left, int32_t right) const { merges_.prefetch(left, right); }
    size_t mergeCount() const { return size_t(nextRank_); }
    // Hugging Face's `ignore_merges`: a piece that is a whole token is taken as it is.
    void setIgnoreMerges(bool ignore) { ignoreMerges_ = ignore; }
    // The id of every single byte; false (and `missing` set) when a byte has no token.
    bool indexBytes(int& missing);

    // Appends the ids of one piece (raw bytes, not empty) to `out`.
    void encodePiece(std::string_view piece, std::vector<int32_t>& out) const;

private:
    void mergeAll(std::string_view piece, std::vector<int32_t>& out) const;

    TokenIndex tokens_;
    MergeIndex merges_;
    PieceCache cache_;  // pieces that needed merging
    int32_t nextRank_ = 0;
    std::array<int32_t, 256> byteIds_{};
    bool ignoreMerges_ = false;
};

} // namespace echoforge::text
