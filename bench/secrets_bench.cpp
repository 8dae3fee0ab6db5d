// Throughput of secrets::Scanner::scan on a deterministic synthetic corpus:
// source code, configuration, lock-file hashes, prose, minified code and a
// sprinkling of real-format fake secrets, split into file-sized texts.
//
//   cmake -S . -B build/rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONSTABLE_UNIT_TESTS_ONLY=OFF
//   -DCONSTABLE_BUILD_BENCH=ON ninja -C build/rel -j2 constable_secrets_bench &&
//   ./build/rel/bench/constable_secrets_bench

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "secrets/scanner.hpp"
#include "secrets_corpus.hpp"

namespace {

using constable::secrets::Scanner;

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> files = constable::bench::make_secrets_corpus(constable::bench::corpus_mib());
  return files;
}

std::int64_t corpus_bytes() {
  std::int64_t n = 0;
  for (const auto& f : corpus()) n += static_cast<std::int64_t>(f.size());
  return n;
}

void scan_files(std::size_t first, std::size_t step, std::size_t& matches) {
  const Scanner& scanner = Scanner::builtin();
  const auto& files = corpus();
  for (std::size_t i = first; i < files.size(); i += step) matches += scanner.scan(files[i], "src/file.txt").size();
}

// Files scanned by state.range(0) threads, each its own share (every 2nd file for 2 threads); the rate is
// the corpus size over the wall-clock time.
void BM_SecretsScan(benchmark::State& state) {
  (void)Scanner::builtin();
  (void)corpus();
  const auto threads = static_cast<std::size_t>(state.range(0));
  std::vector<std::size_t> matches(threads, 0);
  for (auto _ : state) {
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
      matches[t] = 0;
      pool.emplace_back([t, threads, &matches] { scan_files(t, threads, matches[t]); });
    }
    for (auto& th : pool) th.join();
    benchmark::DoNotOptimize(matches.data());
  }
  std::size_t total = 0;
  for (std::size_t m : matches) total += m;
  state.SetBytesProcessed(corpus_bytes() * static_cast<std::int64_t>(state.iterations()));
  state.counters["matches"] = static_cast<double>(total);
  state.counters["files"] = static_cast<double>(corpus().size());
}
BENCHMARK(BM_SecretsScan)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

// The whole corpus as one text: the Vectorscan pass without per-file overhead.
void BM_SecretsScanOneBigText(benchmark::State& state) {
  static const std::string big = [] {
    std::string out;
    for (const auto& f : corpus()) out += f;
    return out;
  }();
  std::size_t matches = 0;
  for (auto _ : state) {
    matches = Scanner::builtin().scan(big, "all.txt").size();
    benchmark::DoNotOptimize(matches);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(big.size()) * static_cast<std::int64_t>(state.iterations()));
  state.counters["matches"] = static_cast<double>(matches);
}
BENCHMARK(BM_SecretsScanOneBigText)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
