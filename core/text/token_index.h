#pragma once
// Flat open-addressing hash tables for the BPE vocabulary and merges. Loading Llama 3 inserts
// 128,000 tokens and looks up 840,000 while reading 280,147 merges; node-based maps spend most of
// the load time in cache misses, these keep each probe in one or two cache lines.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace echoforge::text {

// Raw token bytes -> id. The bytes live in one arena; the first eight are also kept in the slot,
// so most lookups (tokens average six bytes) never touch the arena.
class TokenIndex {
public:
    // Makes room for `count` tokens in all, so that loading does not rehash on the way.
    void reserve(size_t count);
    // False when the bytes are already present (the id is not changed).
    bool insert(std::string_view bytes, int32_t id);
    // The id, or -1.
    int32_t find(std::string_view bytes) const;
    // Starts loading the slot where find(bytes) will look, so that a batch of lookups waits for
    // memory once instead of once per lookup.
    void prefetch(std::string_view bytes) const;
    size_t size() const { return count_; }

private:
    static constexpr size_t kInlineBytes = 8;
    struct Slot {
        uint64_t head = 0;  // the first kInlineBytes bytes, zero-padded
        uint32_t hash = 0;
        uint32_t offset = 0;  // of the whole token in the arena
        uint32_t length = 0;
        int32_t id = -1;  // -1: empty
    };
    static uint64_t headOf(std::string_view bytes);
    bool matches(const Slot& s, uint32_t hash, uint64_t head, std::string_view bytes) const;
    void rehash(size_t slotCount);
    size_t probeStart(uint32_t hash) const { return hash & (slots_.size() - 1); }

    std::vector<Slot> slots_;
    std::string arena_;
    size_t count_ = 0;
};

// A pair of ids -> (rank, merged id).
class MergeIndex {
public:
    struct Merge {
        int32_t rank;
        int32_t merged;
    };
    // Makes room for `count` merges in all.
    void reserve(size_t count);
    // False when the pair is already present (its first merge is kept).
    bool insert(int32_t left, int32_t right, Merge merge);
    // The merge of the pair, or nullptr.
    const Merge* find(int32_t left, int32_t right) const;
    // Starts loading the slot where insert() or find() of the pair will look.
    void prefetch(int32_t left, int32_t right) const;
    size_t size() const { return count_; }

private:
    struct Slot {
        uint64_t key = kEmpty;
        Merge merge{};
    };
    static constexpr uint64_t kEmpty = ~uint64_t(0);  // no pair of valid (non-negative) ids
    static uint64_t key(int32_t left, int32_t right) { return (uint64_t(uint32_t(left)) << 32) | uint32_t(right); }
    void rehash(size_t slotCount);

    std::vector<Slot> slots_;
    size_t count_ = 0;
};

} // namespace echoforge::text
