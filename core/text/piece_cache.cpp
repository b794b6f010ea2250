#include "core/text/piece_cache.h"

namespace echoforge::text {

bool PieceCache::appendCached(std::string_view piece, std::vector<int32_t>& out) const {
    if (piece.size() > kMaxPieceBytes)
        return false;
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(piece);
    if (it == entries_.end())
        return false;
    out.insert(out.end(), it->second.begin(), it->second.end());
    return true;
}

void PieceCache::store(std::string_view piece, const int32_t* ids, size_t count) const {
    if (piece.size() > kMaxPieceBytes)
        return;
    const std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries)
        entries_.clear();
    entries_.try_emplace(std::string(piece), ids, ids + count);
}

} // namespace echoforge::text
