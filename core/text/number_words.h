#pragma once
// English number names for the text normaliser, in the American style the reference normaliser
// uses (NVIDIA NeMo text processing, en): no "and" inside a number, no hyphens ("one hundred
// twenty three"), lower case. Digit strings are QStrings so that long and zero-led numbers keep
// every digit.

#include <QString>

namespace echoforge::text {

// 0 ..< 10^18 ("123" -> "one hundred twenty three"). `digits` holds only ASCII digits, leading
// zeros allowed. Longer strings are read digit by digit.
QString cardinalWords(const QString& digits);
// "1" -> "first", "23" -> "twenty third", "1000" -> "one thousandth".
QString ordinalWords(const QString& digits);
// Each digit on its own: "004" -> "zero zero four".
QString digitWords(const QString& digits);
// A year: "1994" -> "nineteen ninety four", "1900" -> "nineteen hundred", "1506" -> "fifteen oh
// six", "2000" -> "two thousand", "2006" -> "two thousand six", "2012" -> "twenty twelve".
QString yearWords(const QString& digits);
// "3.14" with the part before and after the point: "three point one four"; an empty whole part
// reads "point ..." (".5" -> "point five").
QString decimalWords(const QString& whole, const QString& fraction);

} // namespace echoforge::text
