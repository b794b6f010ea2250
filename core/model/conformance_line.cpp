// conformanceLine() is torch-free (conformance.h): the CLI prints the runner's cases without
// linking the torch library that ran them.
#include "core/model/conformance.h"

namespace echoforge {

QString conformanceLine(const ConformanceCase& c) {
    QString line = QStringLiteral("%1 %2:%3 max_abs_err=%4")
                       .arg(c.passed ? "PASS" : "FAIL", c.file, c.name, QString::number(c.maxAbsErr, 'g', 3));
    if (!c.passed)
        line += QStringLiteral(" (%1)").arg(c.why);
    return line;
}

} // namespace echoforge
