#pragma once
// echoforge-bench suites register themselves, one file each:
//   ECHOFORGE_BENCH(csm, "csm", "CSM-1B frame generation at full size", runCsmBench)
// Every suite prints the CPU model and flags before its figures (printMachine()).

#include <algorithm>
#include <chrono>
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

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The best of `repeats` runs of `body`, in seconds.
template <typename F>
double bestTime(int repeats, F&& body) {
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        const auto start = Clock::now();
        body();
        best = std::min(best, secondsSince(start));
    }
    return best;
}

} // namespace echoforge::bench

#define ECHOFORGE_BENCH(ident, name, summary, fn) \
    static const ::echoforge::bench::Registrar ident##_bench_registrar{{name, summary, fn}};
