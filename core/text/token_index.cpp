#include "core/text/token_index.h"

#include <algorithm>
#include <cstring>

namespace echoforge::text {
namespace {

constexpr size_t kInitialSlots = 1024;  // a power of two; tables stay at most half full

// FNV-1a: tokens average about six bytes, where it is as good as anything and cheaper.
uint32_t hashBytes(std::string_view bytes) {
    uint32_t h = 2166136261u;
    for (const char c : bytes)
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
}

// The splitmix64 finaliser: spreads the two ids over every bit of the slot index.
uint64_t mixKey(uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
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
    if ((count_ + 1) * 2 > slots_.size())
        grow();
    const uint32_t hash = hashBytes(bytes);
    const uint64_t head = headOf(bytes);
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
    const uint32_t hash = hashBytes(bytes);
    const uint64_t head = headOf(bytes);
    for (size_t i = probeStart(hash);; i = (i + 1) & (slots_.size() - 1)) {
        const Slot& s = slots_[i];
        if (s.id < 0)
            return -1;
        if (matches(s, hash, head, bytes))
            return s.id;
    }
}

void TokenIndex::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? kInitialSlots : old.size() * 2, Slot{});
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
    if ((count_ + 1) * 4 > slots_.size() * 3)  // integer keys probe cheaply: fill up to 3/4
        grow();
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

void MergeIndex::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? kInitialSlots : old.size() * 2, Slot{});
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
