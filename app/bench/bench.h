#pragma once
// echoforge-bench suites register themselves, one file each:
//   ECHOFORGE_BENCH(csm, "csm", "CSM-1B frame generation at full size", runCsmBench)
// Every suite prints the CPU model and flags before its figures (printMachine()).

#include <vector>

#include <QStringList>

namespace echoforge::bench {

struct Suite {
    const char* name;
    const char* summary;
    int (*run)(const QStringList& args);
};

std::vector<Suite>& suites();

struct Registrar {
    explicit Registrar(Suite s) { suites().push_back(s); }
};

// Prints CPU model, cores, SIMD flags, torch threads and BLAS: the context of every figure.
void printMachine();

} // namespace echoforge::bench

#define ECHOFORGE_BENCH(ident, name, summary, fn) \
    static const ::echoforge::bench::Registrar ident##_bench_registrar{{name, summary, fn}};
