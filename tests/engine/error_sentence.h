#pragma once
// For tests of refusals: the sentence an action throws, or "" when it throws nothing.

#include <functional>

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

} // namespace echoforge::test
