#include "core/common/numbers.h"

#include <cmath>

#include "core/common/error.h"

namespace echoforge {
namespace {

// A wrong number is the user's input, not a defect: InvalidInput (exit code 2, HTTP 422).
[[noreturn]] void refuse(const QString& what, double low, double high, const QString& given, const char* kind) {
    throw Error(ErrorKind::InvalidInput, QStringLiteral("%1 must be a %2 from %3 to %4, not '%5'.")
                    .arg(what, QLatin1String(kind)).arg(low, 0, 'g', 12).arg(high, 0, 'g', 12).arg(given));
}

} // namespace

double parseFiniteNumber(const QString& text, double low, double high, const QString& what) {
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    // Written so that NaN fails: every comparison with it is false.
    if (!ok || !std::isfinite(value) || !(value >= low && value <= high))
        refuse(what, low, high, text, "number");
    return value;
}

std::int64_t parseWholeNumber(const QString& text, std::int64_t low, std::int64_t high, const QString& what) {
    bool ok = false;
    const qlonglong value = text.trimmed().toLongLong(&ok);
    if (!ok || value < low || value > high)
        refuse(what, double(low), double(high), text, "whole number");
    return value;
}

std::uint64_t parseSeed(const QString& text, const QString& what) {
    bool ok = false;
    const QString trimmed = text.trimmed();
    const qulonglong value = trimmed.toULongLong(&ok);
    if (!ok || trimmed.startsWith('-'))
        throw Error(ErrorKind::InvalidInput,
                    QStringLiteral("%1 must be a whole number from 0 to 18446744073709551615, not '%2'.").arg(what, text));
    return value;
}

void requireFiniteInRange(double value, double low, double high, const QString& what) {
    if (!std::isfinite(value) || !(value >= low && value <= high))
        refuse(what, low, high, QString::number(value), "number");
}

} // namespace echoforge
