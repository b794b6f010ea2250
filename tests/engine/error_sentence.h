#pragma once
// For tests of refusals: the sentence an action throws, or "" when it throws nothing; its kind.

#include <functional>
#include <optional>

#include <QString>

#include "core/common/error.h"

namespace echoforge::test {

inline QString errorSentenceOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e.sentence();
    }
    return {};
}

// The kind of the echoforge::Error `action` throws; none when it throws nothing.
inline std::optional<ErrorKind> errorKindOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e.kind();
    }
    return std::nullopt;
}

} // namespace echoforge::test
