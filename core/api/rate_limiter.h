#pragma once
// A token bucket per client: `burst` requests at once, refilled at `perSecond`. A request that
// finds the bucket empty is refused with the seconds until a token is back (Retry-After).

#include <chrono>
#include <functional>
#include <map>

#include <QString>

namespace echoforge::api {

class RateLimiter {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    // `now` is replaceable so a test can move time by hand.
    RateLimiter(double perSecond, double burst, Clock now = std::chrono::steady_clock::now);

    // Takes a token for `client`: 0 when there was one, else the whole seconds to wait (>= 1).
    int take(const QString& client);

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point last;
    };
    double m_perSecond;
    double m_burst;
    Clock m_now;
    std::map<QString, Bucket> m_buckets;   // one per client address; full buckets are dropped
};

} // namespace echoforge::api
