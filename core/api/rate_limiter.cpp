#include "core/api/rate_limiter.h"

#include <cmath>

namespace echoforge::api {

namespace {
constexpr std::size_t kPruneAbove = 4096;   // clients remembered before full buckets are forgotten
}

RateLimiter::RateLimiter(double perSecond, double burst, Clock now)
    : m_perSecond(perSecond), m_burst(burst), m_now(std::move(now)) {}

int RateLimiter::take(const QString& client) {
    const auto now = m_now();
    if (m_buckets.size() > kPruneAbove) {   // a bucket refilled to the brim says nothing: forget it
        for (auto it = m_buckets.begin(); it != m_buckets.end();) {
            const double refilled = it->second.tokens + std::chrono::duration<double>(now - it->second.last).count() * m_perSecond;
            it = refilled >= m_burst ? m_buckets.erase(it) : std::next(it);
        }
    }
    auto [it, fresh] = m_buckets.try_emplace(client, Bucket{m_burst, now});
    Bucket& b = it->second;
    if (!fresh) {
        b.tokens = std::min(m_burst, b.tokens + std::chrono::duration<double>(now - b.last).count() * m_perSecond);
        b.last = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max(1, int(std::ceil((1.0 - b.tokens) / m_perSecond)));
}

} // namespace echoforge::api
