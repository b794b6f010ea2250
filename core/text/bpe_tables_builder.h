#pragma once
// Fills a BpeModel and the id -> bytes table from model.vocab and model.merges as the
// tokenizer.json reader streams them. Entries are handled in batches: each token is an insertion,
// each merge three vocabulary lookups and an insertion, at random places in tables of several
// megabytes; prefetching a batch's slots first lets those cache misses overlap instead of queueing.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <QString>

#include "core/text/bpe.h"
#include "core/text/tokenizer_json_reader.h"

namespace echoforge::text {

class BpeTablesBuilder final : public TokenizerJsonSink {
public:
    BpeTablesBuilder(QString path, BpeModel& bpe, std::vector<std::string>& idToBytes);

    void vocabEntry(std::string_view byteLevelToken, int64_t id) override;
    void vocabEnd() override;
    void merge(size_t index, std::string_view left, std::string_view right) override;
    // Resolves the merges still pending; call once the whole file has been read.
    void finish();

    // What was added to the BpeModel, in order, for the cached copy (tokenizer_cache.h).
    std::vector<int32_t> takeVocabOrder() { return std::move(vocabOrder_); }
    std::vector<std::array<int32_t, 3>> takeMerges() { return std::move(mergeOrder_); }

private:
    struct PendingMerge {
        size_t index;        // in model.merges, for error messages
        size_t leftOffset;   // left then right bytes, adjacent in batchBytes_: together the merged token
        size_t leftLength;
        size_t rightLength;
    };
    struct PendingToken {
        size_t offset;  // in batchBytes_
        size_t length;
        int32_t id;
    };
    void flushTokens();
    void flushMerges();
    [[noreturn]] void failUnknown(const PendingMerge& m, std::string_view bytes, const char* role) const;

    QString path_;
    BpeModel& bpe_;
    std::vector<std::string>& idToBytes_;
    std::string bytes_;
    std::vector<PendingToken> tokenBatch_;
    std::vector<PendingMerge> mergeBatch_;
    std::string batchBytes_;  // raw bytes of the batch's tokens
    std::vector<std::pair<std::string, std::string>> early_;  // merges read before the vocabulary
    bool vocabRead_ = false;
    std::vector<int32_t> vocabOrder_;
    std::vector<std::array<int32_t, 3>> mergeOrder_;
};

} // namespace echoforge::text
