#pragma once
// Numbers a user types (command-line options, settings, request fields): NaN and infinity are
// refused with a sentence everywhere, because every comparison with NaN is false and a range
// check written as `value < low || value > high` lets it through.

#include <cstdint>

#include <QString>

namespace echoforge {

// Each refusal is an echoforge::Error of kind InvalidInput.
//
// `text` as a finite number within [low, high]; otherwise throws echoforge::Error saying that
// `what` (e.g. "--temperature") must be a number from low to high, and what was given.
double parseFiniteNumber(const QString& text, double low, double high, const QString& what);

// `text` as a whole number within [low, high] (no fraction, no exponent, no NaN); otherwise
// throws echoforge::Error as above.
std::int64_t parseWholeNumber(const QString& text, std::int64_t low, std::int64_t high, const QString& what);

// `text` as a random seed: a whole number from 0 to 2^64 - 1; otherwise throws echoforge::Error.
std::uint64_t parseSeed(const QString& text, const QString& what);

// Throws echoforge::Error unless `value` is finite and within [low, high].
void requireFiniteInRange(double value, double low, double high, const QString& what);

} // namespace echoforge
