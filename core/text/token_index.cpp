#include "core/text/token_index.h"

#include <algorithm>
#include <cstring>

namespace echoforge::text {
namespace {

constexpr size_t kInitialSlots = 1024;

// The power-of-two slot count that holds `count` entries at most `maxFill` full.
size_t slotsFor(size_t count, double maxFill) {
    size_t slotCount = kInitialSlots;
    while (double(count) > double(slotCount) * maxFill)
        slotCount *= 2;
    return slotCount;
}

// Vocabulary probes compare strings, so its table stays at most half full; merge probes compare
// one integer, so that table may fill to three quarters.
constexpr double kTokenMaxFill = 0.5;
constexpr double kMergeMaxFill = 0.75;

// The splitmix64 finaliser: spreads a key over every bit of the slot index.
uint64_t mixKey(uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Hashes a token eight bytes at a time; the first eight are the slot's `head`, already loaded.
uint32_t hashBytes(uint64_t head, std::string_view bytes) {
    uint64_t h = mixKey(head ^ (uint64_t(bytes.size()) << 56));
    for (size_t i = 8; i < bytes.size(); i += 8) {
        uint64_t word = 0;
        std::memcpy(&word, bytes.data() + i, std::min<size_t>(8, bytes.size() - i));
        h = mixKey(h ^ word);
    }
    return static_cast<uint32_t>(h);
}

} // namespace

uint64_t TokenIndex::headOf(std::string_view bytes) {
    uint64_t head = 0;
    std::memcpy(&head, bytes.data(), std::min(bytes.size(), kInlineBytes));
    return head;
}

bool TokenIndex::matches(const Slot& s, uint32_t hash, uint64_t head, std::string_view bytes) const {
    if (s.hash != hash || s.head != head || s.length != bytes.size())
        return false;
    return bytes.size() <= kInlineBytes ||
           std::memcmp(arena_.data() + s.offset + kInlineBytes, bytes.data() + kInlineBytes,
                       bytes.size() - kInlineBytes) == 0;
}

bool TokenIndex::insert(std::string_view bytes, int32_t id) {
    if (double(count_ + 1) > double(slots_.size()) * kTokenMaxFill)
        rehash(slotsFor(count_ + 1, kTokenMaxFill));
    const uint64_t head = headOf(bytes);
    const uint32_t hash = hashBytes(head, bytes);
    for (size_t i = probeStart(hash);; i = (i + 1) & (slots_.size() - 1)) {
        Slot& s = slots_[i];
        if (s.id < 0) {
            s = {head, hash, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(bytes.size()), id};
            arena_.append(bytes);
            ++count_;
            return true;
        }
        if (matches(s, hash, head, bytes))
            return false;
    }
}

int32_t TokenIndex::find(std::string_view bytes) const {
    if (slots_.empty())
        return -1;
    const uint64_t head = headOf(bytes);
    const uint32_t hash = hashBytes(head, bytes);
    for (size_t i = probeStart(hash);; i = (i + 1) & (slots_.size() - 1)) {
        const Slot& s = slots_[i];
        if (s.id < 0)
            return -1;
        if (matches(s, hash, head, bytes))
            return s.id;
    }
}

void TokenIndex::prefetch(std::string_view bytes) const {
    if (!slots_.empty())
        __builtin_prefetch(&slots_[probeStart(hashBytes(headOf(bytes), bytes))]);
}

void TokenIndex::reserve(size_t count) {
    if (slotsFor(count, kTokenMaxFill) > slots_.size())
        rehash(slotsFor(count, kTokenMaxFill));
}

void TokenIndex::rehash(size_t slotCount) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(slotCount, Slot{});
    for (const Slot& s : old) {
        if (s.id < 0)
            continue;
        size_t i = probeStart(s.hash);
        while (slots_[i].id >= 0)
            i = (i + 1) & (slots_.size() - 1);
        slots_[i] = s;
    }
}

bool MergeIndex::insert(int32_t left, int32_t right, Merge merge) {
    if (double(count_ + 1) > double(slots_.size()) * kMergeMaxFill)
        rehash(slotsFor(count_ + 1, kMergeMaxFill));
    const uint64_t k = key(left, right);
    for (size_t i = mixKey(k) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
        Slot& s = slots_[i];
        if (s.key == kEmpty) {
            s = {k, merge};
            ++count_;
            return true;
        }
        if (s.key == k)
            return false;
    }
}

const MergeIndex::Merge* MergeIndex::find(int32_t left, int32_t right) const {
    if (slots_.empty())
        return nullptr;
    const uint64_t k = key(left, right);
    for (size_t i = mixKey(k) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
        const Slot& s = slots_[i];
        if (s.key == k)
            return &s.merge;
        if (s.key == kEmpty)
            return nullptr;
    }
}

void MergeIndex::prefetch(int32_t left, int32_t right) const {
    if (!slots_.empty())
        __builtin_prefetch(&slots_[mixKey(key(left, right)) & (slots_.size() - 1)]);
}

void MergeIndex::reserve(size_t count) {
    if (slotsFor(count, kMergeMaxFill) > slots_.size())
        rehash(slotsFor(count, kMergeMaxFill));
}

void MergeIndex::rehash(size_t slotCount) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(slotCount, Slot{});
    for (const Slot& s : old) {
        if (s.key == kEmpty)
            continue;
        size_t i = mixKey(s.key) & (slots_.size() - 1);
        while (slots_[i].key != kEmpty)
            i = (i + 1) & (slots_.size() - 1);
        slots_[i] = s;
    }
}

} // namespace echoforge::text
