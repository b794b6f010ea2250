#include "core/text/bpe.h"

#include <queue>

namespace echoforge::text {
namespace {

constexpr int32_t kNone = -1;

// One symbol of the piece being merged; merged-away symbols keep id kNone.
struct Symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
};

// A possible merge of the symbols at `left` and `right`, valid while both still hold the ids
// it was made for (a symbol's id changes only when it absorbs a neighbour).
struct Candidate {
    int32_t rank;
    int32_t left, right;
    int32_t leftId, rightId;
    int32_t merged;
    // priority_queue puts the greatest first: the lowest rank, then the leftmost, is "greatest".
    bool operator<(const Candidate& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
};

} // namespace

void BpeModel::addMerge(int32_t left, int32_t right, int32_t merged) {
    merges_.insert(left, right, {nextRank_, merged});
    ++nextRank_;
}

bool BpeModel::indexBytes(int& missing) {
    for (int b = 0; b < 256; ++b) {
        const char byte = static_cast<char>(b);
        byteIds_[b] = tokenId(std::string_view(&byte, 1));
        if (byteIds_[b] == kNone) {
            missing = b;
            return false;
        }
    }
    return true;
}

void BpeModel::encodePiece(std::string_view piece, std::vector<int32_t>& out) const {
    if (piece.size() == 1) {
        out.push_back(byteIds_[static_cast<unsigned char>(piece[0])]);
        return;
    }
    if (ignoreMerges_) {
        if (const int32_t whole = tokenId(piece); whole != kNone) {
            out.push_back(whole);
            return;
        }
    }
    if (cache_.appendCached(piece, out))
        return;
    const size_t first = out.size();
    mergeAll(piece, out);
    cache_.store(piece, out.data() + first, out.size() - first);
}

// O(n log n) in the piece length with a heap of candidate merges, so that even a megabyte of
// spaces (one piece) is encoded quickly.
void BpeModel::mergeAll(std::string_view piece, std::vector<int32_t>& out) const {
    const auto n = static_cast<int32_t>(piece.size());
    std::vector<Symbol> symbols(n);
    for (int32_t i = 0; i < n; ++i)
        symbols[i] = {byteIds_[static_cast<unsigned char>(piece[i])], i - 1, i + 1 < n ? i + 1 : kNone};

    std::priority_queue<Candidate> queue;
    auto consider = [&](int32_t left, int32_t right) {
        if (left == kNone || right == kNone)
            return;
        if (const MergeIndex::Merge* m = merges_.find(symbols[left].id, symbols[right].id))
            queue.push({m->rank, left, right, symbols[left].id, symbols[right].id, m->merged});
    };
    for (int32_t i = 0; i + 1 < n; ++i)
        consider(i, i + 1);

    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        Symbol& left = symbols[c.left];
        Symbol& right = symbols[c.right];
        if (left.id != c.leftId || right.id != c.rightId || left.next != c.right)
            continue;  // stale: one side has merged since
        left.id = c.merged;
        left.next = right.next;
        if (right.next != kNone)
            symbols[right.next].prev = c.left;
        right.id = kNone;
        consider(left.prev, c.left);
        consider(c.left, left.next);
    }
    for (int32_t i = 0; i != kNone; i = symbols[i].next)
        out.push_back(symbols[i].id);
}

} // namespace echoforge::text
