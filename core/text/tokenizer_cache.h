#pragma once
// A binary copy of a loaded tokenizer's tables, kept in the cache folder so that the next load
// skips parsing 9 MB of tokenizer.json (about 0.25 s, most of `echoforge-cli tokenize`'s time).
// The copy is keyed by the tokenizer.json's absolute path, size and modification time and ends
// with a checksum: anything that does not match or does not read back whole is a miss, the JSON is
// read again and the copy written anew. The tables are replayed into a BpeModel in the order the
// JSON loader made them, so the loaded tokenizer is the same one (tst_tokenizer_loading).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <QString>

namespace echoforge::text {

struct TokenizerTablesCopy {
    std::vector<std::string> idToBytes;             // every id's raw bytes (a special id's text)
    std::vector<int32_t> vocabOrder;                // ids of model.vocab, in the order they were added
    std::vector<std::array<int32_t, 3>> merges;     // left, right, merged: in rank order
    bool ignoreMerges = false;
    int32_t beginOfText = -1;
    int32_t endOfText = -1;
};

// The cache file for `jsonPath` inside `cacheDir`.
QString tokenizerCopyPath(const QString& cacheDir, const QString& jsonPath);

// The copy in `copyPath` when it was made from `jsonPath` as it is now; nullopt otherwise.
std::optional<TokenizerTablesCopy> readTokenizerCopy(const QString& copyPath, const QString& jsonPath);

// Writes the copy atomically; a failure is logged and otherwise ignored (it is only a cache).
void writeTokenizerCopy(const QString& copyPath, const QString& jsonPath, const TokenizerTablesCopy& copy);

} // namespace echoforge::text
