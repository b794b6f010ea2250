#include "core/model/csm_stream_pool.h"

#include <algorithm>
#include <chrono>

#include "core/common/error.h"

namespace echoforge {

namespace {
constexpr auto kCancelPoll = std::chrono::milliseconds(100);   // how often a waiting claim asks
}

CsmStreamPool::CsmStreamPool(CsmModel& model) : model_(model), slots_(std::size_t(CsmModel::kMaxStreams)) {}

std::optional<CsmStreamPool::Lease> CsmStreamPool::claim(int count, const std::function<bool()>& cancelled) {
    if (count < 1 || count > CsmModel::kMaxStreams)
        throw Error(QStringLiteral("A caller may claim 1 to %1 CSM streams, not %2.").arg(CsmModel::kMaxStreams).arg(count));
    std::unique_lock lock(mutex_);
    const std::uint64_t ticket = nextTicket_++;
    claimQueue_.push_back(ticket);
    auto leaveQueue = [&] {
        claimQueue_.erase(std::find(claimQueue_.begin(), claimQueue_.end(), ticket));
        changed_.notify_all();   // the claim behind this one may be served now
    };
    for (;;) {
        std::vector<int> free;
        for (int s = 0; s < int(slots_.size()) && int(free.size()) < count; ++s)
            if (!slots_[std::size_t(s)].claimed)
                free.push_back(s);
        if (claimQueue_.front() == ticket && int(free.size()) == count) {
            for (int s : free)
                slots_[std::size_t(s)] = Slot{true};
            leaveQueue();
            return Lease(*this, std::move(free));
        }
        if (cancelled && cancelled()) {
            leaveQueue();
            return std::nullopt;
        }
        changed_.wait_for(lock, kCancelPoll);
    }
}

int CsmStreamPool::widestStep() const {
    std::lock_guard lock(mutex_);
    return widestStep_;
}

int CsmStreamPool::waitingClaims() const {
    std::lock_guard lock(mutex_);
    return int(claimQueue_.size());
}

CsmStreamPool::Totals CsmStreamPool::totals() const {
    std::lock_guard lock(mutex_);
    return totals_;
}

namespace {
double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
} // namespace

bool CsmStreamPool::stepReady() const {
    if (modelBusy_)
        return false;
    bool anyAsking = false;
    for (const Slot& s : slots_) {
        if (!s.generating)
            continue;
        if (!s.asking || s.answered)
            return false;   // a caller between frames: the step waits for it
        anyAsking = true;
    }
    return anyAsking;
}

void CsmStreamPool::runStep(std::unique_lock<std::mutex>& lock) {
    std::vector<int> step;
    for (int s = 0; s < int(slots_.size()); ++s)
        if (slots_[std::size_t(s)].generating)
            step.push_back(s);
    modelBusy_ = true;
    lock.unlock();
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::vector<int64_t>> frames;
    std::exception_ptr failure;
    try {
        frames = model_.stepStreams(step);
    } catch (...) {
        failure = std::current_exception();
    }
    const double took = secondsSince(start);
    lock.lock();
    modelBusy_ = false;
    widestStep_ = std::max(widestStep_, int(step.size()));
    totals_.steps += 1;
    totals_.rows += int(step.size());
    totals_.stepSeconds += took;
    for (std::size_t r = 0; r < step.size(); ++r) {
        Slot& slot = slots_[std::size_t(step[r])];
        slot.answered = true;
        slot.failure = failure;
        if (!failure)
            slot.frame = std::move(frames[r]);
    }
    changed_.notify_all();
}

void CsmStreamPool::stop(const std::vector<int>& slots, bool unclaim) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !modelBusy_; });
    for (int s : slots) {
        Slot& slot = slots_[std::size_t(s)];
        if (slot.generating)
            model_.endStream(s);
        slot.generating = slot.asking = slot.answered = false;
        if (unclaim)
            slot = Slot{};
    }
    // The steps no longer wait for these streams, and a claim may find them free.
    changed_.notify_all();
}

CsmStreamPool::Lease::Lease(Lease&& other) noexcept : pool_(other.pool_), slots_(std::move(other.slots_)) {
    other.slots_.clear();
}

CsmStreamPool::Lease::~Lease() {
    if (!slots_.empty())
        pool_->stop(slots_, true);
}

std::vector<int64_t> CsmStreamPool::Lease::begin(int i, const CsmPrompt& prompt, const CsmSampling& sampling,
                                                 int maxFrames) {
    if (i < 0 || i >= size())
        throw Error(QStringLiteral("This caller holds CSM streams 0 to %1, not %2.").arg(size() - 1).arg(i));
    CsmStreamPool& pool = *pool_;
    const int s = slots_[std::size_t(i)];
    std::unique_lock lock(pool.mutex_);
    if (pool.slots_[std::size_t(s)].generating)
        throw Error(QStringLiteral("CSM stream %1 is still generating; end it before giving it another prompt.").arg(i));
    pool.changed_.wait(lock, [&] { return !pool.modelBusy_; });
    pool.modelBusy_ = true;
    lock.unlock();
    const auto start = std::chrono::steady_clock::now();
    std::vector<int64_t> first;
    std::exception_ptr failure;
    {
        const auto turn = pool.takeTurn();   // not beside another caller's decoding
        try {
            first = pool.model_.startStream(s, prompt, sampling, maxFrames);
        } catch (...) {
            failure = std::current_exception();
        }
    }
    const double took = secondsSince(start);
    lock.lock();
    pool.modelBusy_ = false;
    pool.totals_.prompts += 1;
    pool.totals_.promptSeconds += took;
    if (!failure)
        pool.slots_[std::size_t(s)].generating = true;
    pool.changed_.notify_all();
    if (failure)
        std::rethrow_exception(failure);
    return first;
}

std::vector<std::vector<int64_t>> CsmStreamPool::Lease::next(const std::vector<int>& streams) {
    CsmStreamPool& pool = *pool_;
    std::unique_lock lock(pool.mutex_);
    for (int i : streams) {
        if (i < 0 || i >= size() || !pool.slots_[std::size_t(slots_[std::size_t(i)])].generating)
            throw Error(QStringLiteral("CSM stream %1 of this caller is not generating; begin it first.").arg(i));
        Slot& slot = pool.slots_[std::size_t(slots_[std::size_t(i)])];
        if (slot.asking)
            throw Error(QStringLiteral("CSM stream %1 was listed twice in one request for frames.").arg(i));
        slot.asking = true;
        slot.answered = false;
    }
    auto allAnswered = [&] {
        return std::all_of(streams.begin(), streams.end(),
                           [&](int i) { return pool.slots_[std::size_t(slots_[std::size_t(i)])].answered; });
    };
    while (!allAnswered()) {
        if (pool.stepReady())
            pool.runStep(lock);   // this caller asked last: the step runs on its thread
        else
            pool.changed_.wait(lock);
    }
    std::vector<std::vector<int64_t>> frames;
    std::exception_ptr failure;
    for (int i : streams) {
        Slot& slot = pool.slots_[std::size_t(slots_[std::size_t(i)])];
        slot.asking = slot.answered = false;
        if (slot.failure)
            failure = slot.failure;
        slot.failure = nullptr;
        frames.push_back(std::move(slot.frame));
    }
    // Whoever waits may find a step ready now that these streams are between frames again.
    pool.changed_.notify_all();
    if (failure)
        std::rethrow_exception(failure);
    return frames;
}

void CsmStreamPool::Lease::end(int i) {
    if (i >= 0 && i < size())
        pool_->stop({slots_[std::size_t(i)]}, false);
}

} // namespace echoforge
