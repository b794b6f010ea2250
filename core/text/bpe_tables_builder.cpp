#include "core/text/bpe_tables_builder.h"

#include <array>

#include "core/text/byte_level.h"

namespace echoforge::text {
namespace {

constexpr size_t kBatchSize = 64;  // up to 192 lookups in flight: enough to keep memory busy

// Llama 3's sizes: its tables are allocated once. Other files' tables grow as they fill.
constexpr size_t kExpectedTokens = 128000;
constexpr size_t kExpectedMerges = 280147;

} // namespace

BpeTablesBuilder::BpeTablesBuilder(QString path, BpeModel& bpe, std::vector<std::string>& idToBytes)
    : path_(std::move(path)), bpe_(bpe), idToBytes_(idToBytes) {
    bpe_.reserve(kExpectedTokens, kExpectedMerges);
    idToBytes_.reserve(kExpectedTokens + 256);
    tokenBatch_.reserve(kBatchSize);
    mergeBatch_.reserve(kBatchSize);
}

void BpeTablesBuilder::vocabEntry(std::string_view token, int64_t id) {
    if (id < 0 || id > INT32_MAX)
        refuseTokenizerFile(path_, QStringLiteral("model.vocab[%1] is not a valid id").arg(quotedJson(token)));
    if (!byteLevelToBytes(token, bytes_))
        refuseTokenizerFile(path_, QStringLiteral("model.vocab[%1] has a character outside the byte-level alphabet")
                                       .arg(quotedJson(token)));
    if (bytes_.empty())
        refuseTokenizerFile(path_, QStringLiteral("model.vocab has an empty token (id %1)").arg(id));
    tokenBatch_.push_back({batchBytes_.size(), bytes_.size(), static_cast<int32_t>(id)});
    batchBytes_ += bytes_;
    if (tokenBatch_.size() == kBatchSize)
        flushTokens();
}

void BpeTablesBuilder::flushTokens() {
    const std::string_view all(batchBytes_);
    for (const PendingToken& t : tokenBatch_)
        bpe_.prefetchToken(all.substr(t.offset, t.length));
    for (const PendingToken& t : tokenBatch_) {
        const std::string_view bytes = all.substr(t.offset, t.length);
        if (!bpe_.addToken(bytes, t.id))
            refuseTokenizerFile(path_, QStringLiteral("model.vocab has the token %1 twice")
                                           .arg(quotedJson(bytesToByteLevel(bytes))));
        vocabOrder_.push_back(t.id);
        if (static_cast<size_t>(t.id) >= idToBytes_.size())
            idToBytes_.resize(size_t(t.id) + 1);
        idToBytes_[t.id] = bytes;
    }
    tokenBatch_.clear();
    batchBytes_.clear();
}

void BpeTablesBuilder::vocabEnd() {
    flushTokens();
    vocabRead_ = true;
    for (size_t i = 0; i < early_.size(); ++i)
        merge(i, early_[i].first, early_[i].second);
    early_.clear();
}

void BpeTablesBuilder::merge(size_t index, std::string_view left, std::string_view right) {
    if (!vocabRead_) {  // merges before the vocabulary in the file: kept until it is known
        early_.emplace_back(left, right);
        return;
    }
    auto appendBytes = [&](std::string_view token) {
        if (!byteLevelToBytes(token, bytes_))
            refuseTokenizerFile(path_, QStringLiteral("model.merges[%1] names %2, which is not in model.vocab")
                                           .arg(index)
                                           .arg(quotedJson(token)));
        batchBytes_ += bytes_;
        return bytes_.size();
    };
    PendingMerge m{index, batchBytes_.size(), 0, 0};
    m.leftLength = appendBytes(left);
    m.rightLength = appendBytes(right);
    mergeBatch_.push_back(m);
    if (mergeBatch_.size() == kBatchSize)
        flushMerges();
}

void BpeTablesBuilder::finish() { flushMerges(); }

void BpeTablesBuilder::flushMerges() {
    const std::string_view all(batchBytes_);
    auto leftOf = [&](const PendingMerge& m) { return all.substr(m.leftOffset, m.leftLength); };
    auto rightOf = [&](const PendingMerge& m) { return all.substr(m.leftOffset + m.leftLength, m.rightLength); };
    auto mergedOf = [&](const PendingMerge& m) { return all.substr(m.leftOffset, m.leftLength + m.rightLength); };

    for (const PendingMerge& m : mergeBatch_) {
        bpe_.prefetchToken(leftOf(m));
        bpe_.prefetchToken(rightOf(m));
        bpe_.prefetchToken(mergedOf(m));
    }
    std::array<std::array<int32_t, 3>, kBatchSize> ids{};  // left, right, merged
    for (size_t i = 0; i < mergeBatch_.size(); ++i) {
        const PendingMerge& m = mergeBatch_[i];
        ids[i] = {bpe_.tokenId(leftOf(m)), bpe_.tokenId(rightOf(m)), bpe_.tokenId(mergedOf(m))};
        if (ids[i][0] < 0)
            failUnknown(m, leftOf(m), "names");
        if (ids[i][1] < 0)
            failUnknown(m, rightOf(m), "names");
        if (ids[i][2] < 0)
            failUnknown(m, mergedOf(m), "makes");
        bpe_.prefetchMerge(ids[i][0], ids[i][1]);
    }
    for (size_t i = 0; i < mergeBatch_.size(); ++i) {
        bpe_.addMerge(ids[i][0], ids[i][1], ids[i][2]);
        mergeOrder_.push_back(ids[i]);
    }
    mergeBatch_.clear();
    batchBytes_.clear();
}

void BpeTablesBuilder::failUnknown(const PendingMerge& m, std::string_view bytes, const char* role) const {
    refuseTokenizerFile(path_, QStringLiteral("model.merges[%1] %2 %3, which is not in model.vocab")
                                   .arg(m.index)
                                   .arg(QString::fromLatin1(role), quotedJson(bytesToByteLevel(bytes))));
}

} // namespace echoforge::text
