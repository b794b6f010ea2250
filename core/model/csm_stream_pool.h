#pragma once
// CSM shared by several threads that each speak their own requests (queued jobs run side by
// side): every caller generates in streams it claims from the pool, and each frame step runs
// once over every stream that is generating, so each weight read serves every caller. This is
// continuous batching: a request joins the batch when its prompt has run and leaves it when its
// take ends, and the others go on. A stream's frames are exactly those CsmModel::generate()
// makes for its prompt alone (the rows of a step do not touch each other). CPU only.
//
// A step runs once every generating stream has asked for its next frame, on the thread of the
// caller that asked last; the others wait for it. So a caller must not hold a generating stream
// while it waits for something else (more streams, another caller): it claims all the streams
// it needs at once, and ends a stream as soon as it wants no more frames from it.
//
//   auto lease = pool.claim(1, isCancelled);        // empty when cancelled while waiting
//   auto frame = lease->begin(0, prompt, sampling, maxFrames);
//   while (more) frame = lease->next({0}).front();
//   lease->end(0);                                  // or let the lease go

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "core/model/csm_model.h"

namespace echoforge {

class CsmStreamPool {
public:
    // The pool drives `model`; while it lives, nothing else may use the model.
    explicit CsmStreamPool(CsmModel& model);
    CsmStreamPool(const CsmStreamPool&) = delete;
    CsmStreamPool& operator=(const CsmStreamPool&) = delete;

    const CsmModel& model() const { return model_; }

    // Streams claimed by one caller, numbered 0 … size() − 1 for it; all are freed when the
    // lease goes. Used from the caller's thread only.
    class Lease {
    public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        ~Lease();

        int size() const { return int(slots_.size()); }
        // Runs the prompt in stream `i` (the model is this caller's alone meanwhile) and returns
        // its first frame; the stream then generates until end(i).
        std::vector<int64_t> begin(int i, const CsmPrompt& prompt, const CsmSampling& sampling, int maxFrames);
        // The next frame of each listed stream (all begun, none ended), made in one step with the
        // generating streams of every other caller. Rethrows a step's failure.
        std::vector<std::vector<int64_t>> next(const std::vector<int>& streams);
        // Stream `i` wants no more frames: steps stop waiting for it. Nothing if it was not begun.
        void end(int i);

    private:
        friend class CsmStreamPool;
        Lease(CsmStreamPool& pool, std::vector<int> slots) : pool_(&pool), slots_(std::move(slots)) {}
        CsmStreamPool* pool_;
        std::vector<int> slots_;   // the pool's slots, by this caller's stream number
    };

    // Claims `count` streams (1 … CsmModel::kMaxStreams), waiting while fewer are free. Claims are
    // served in the order they came, so one that needs many streams is not overtaken for ever by
    // later ones that need few. Empty when `cancelled` turns true meanwhile (it is asked a few
    // times a second).
    std::optional<Lease> claim(int count, const std::function<bool()>& cancelled = {});

    // The work a caller does with its frames between steps (decoding them with torch) takes
    // turns: one caller at a time, with every thread, as a caller alone would. Callers decoding
    // at once, each with a thread team of its own, fight over the cores: on 2 cores with four
    // callers that tripled the time spent outside the steps. Prompts take the same turns.
    [[nodiscard]] std::unique_lock<std::mutex> takeTurn() { return std::unique_lock(turn_); }

    // The most streams that have generated in one step so far (benchmarks and tests read it).
    int widestStep() const;
    // Claims waiting for streams now.
    int waitingClaims() const;
    // What the steps and prompts cost so far (benchmarks).
    struct Totals {
        int steps = 0;
        int rows = 0;              // frames made by steps (a step makes one per stream)
        double stepSeconds = 0;    // inside the model's steps
        int prompts = 0;
        double promptSeconds = 0;  // running prompts
    };
    Totals totals() const;

private:
    struct Slot {
        bool claimed = false;
        bool generating = false;   // begun and not ended: steps wait for it
        bool asking = false;       // waits for its next frame
        bool answered = false;     // its frame (or the step's failure) is ready
        std::vector<int64_t> frame;
        std::exception_ptr failure;
    };

    // With the lock held: whether a step can run now (the model is free and every generating
    // stream is asking), and running it (unlocked meanwhile) and handing out its frames.
    bool stepReady() const;
    void runStep(std::unique_lock<std::mutex>& lock);
    // Once the model is free: the slots generate no more (their runs dropped), and with
    // `unclaim` they are free for the next claim.
    void stop(const std::vector<int>& slots, bool unclaim);

    CsmModel& model_;
    mutable std::mutex mutex_;                 // guards everything below
    std::condition_variable changed_;          // a slot, the model or a step's frames changed
    std::vector<Slot> slots_;                  // [CsmModel::kMaxStreams]
    std::deque<std::uint64_t> claimQueue_;     // tickets of the claims waiting, first served first
    std::uint64_t nextTicket_ = 0;
    bool modelBusy_ = false;                   // a prompt or a step runs (the lock is not held then)
    std::mutex turn_;                          // takeTurn(); never held while waiting for mutex_
    int widestStep_ = 0;
    Totals totals_;
};

} // namespace echoforge
