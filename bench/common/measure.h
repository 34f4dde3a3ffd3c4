// Timers, memory probes and order statistics for the bench programs.
#ifndef SQUATGUARD_BENCH_COMMON_MEASURE_H_
#define SQUATGUARD_BENCH_COMMON_MEASURE_H_

#include <chrono>
#include <cstdint>
#include <vector>

namespace squatguard {
namespace bench {

// Monotonic seconds.
inline double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU seconds used by the calling thread (CLOCK_THREAD_CPUTIME_ID): unlike
// wall time, barely moved by other processes competing for the cores.
double ThreadCpuSeconds();

// getrusage(RUSAGE_SELF).ru_maxrss: the process's peak resident set, KiB.
int64_t PeakRssKib();
// The resident set now (/proc/self/statm), KiB; 0 when unavailable.
int64_t CurrentRssKib();

// Cores this process may run on (sched_getaffinity), and what the machine
// reports (std::thread::hardware_concurrency).
int UsableCores();
int MachineCores();

// The 1-minute load average (/proc/loadavg): other work on a shared
// machine shows up here; -1 when unavailable.
double LoadAverage1m();

// Summary of repeated measurements.
struct Stats {
  double median = 0, min = 0, max = 0;
};
Stats Summarize(std::vector<double> values);

// The q-quantile (0..1) of sorted values, nearest rank.
double Quantile(const std::vector<double>& sorted, double q);

}  // namespace bench
}  // namespace squatguard

#endif  // SQUATGUARD_BENCH_COMMON_MEASURE_H_
