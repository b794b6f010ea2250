#pragma once
// Remembers the ids of pieces that needed merging: natural text repeats its words, and a word
// outside the vocabulary (most words of non-Latin scripts) costs a dozen merge lookups each time.
// Bounded and thread-safe: the tokenizer's methods are const and may run on several threads.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace echoforge::text {

class PieceCache {
public:
    static constexpr size_t kMaxEntries = 1 << 16;   // then the cache starts over
    static constexpr size_t kMaxPieceBytes = 64;     // longer pieces are rare and not kept

    // Appends the cached ids of `piece` to `out`; false when it is not cached.
    bool appendCached(std::string_view piece, std::vector<int32_t>& out) const;
    void store(std::string_view piece, const int32_t* ids, size_t count) const;

private:
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, std::vector<int32_t>, Hash, std::equal_to<>> entries_;
};

} // namespace echoforge::text
