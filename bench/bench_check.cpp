// Benchmarks of a whole `constable check` on a synthetic 10,000-file
// repository, per phase, against the physical limit of reading every file.

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "app/app.hpp"
#include "core/memory.hpp"
#include "engine/run.hpp"
#include "report/report.hpp"
#include "synthetic_repo.hpp"

namespace {

namespace fs = std::filesystem;
using namespace constable;

const fs::path& repo() {
  static const fs::path root = [] {
    const fs::path dir = fs::temp_directory_path() / "constable-bench-10000";
    fs::remove_all(dir);
    bench::write_synthetic_repo(dir, 10000);
    return dir;
  }();
  return root;
}

// Reading every discovered file once: the floor any checker pays.
void BM_ReadEveryFile(benchmark::State& state) {
  auto ws = workspace::discover(repo(), {});
  std::uintmax_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    for (const auto& file : ws->files) {
      std::ifstream in(file.absolute, std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      bytes += buffer.str().size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["files"] = static_cast<double>(ws->files.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));
}
BENCHMARK(BM_ReadEveryFile)->Unit(benchmark::kMillisecond);

void BM_Discover(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(workspace::discover(repo(), {}));
}
BENCHMARK(BM_Discover)->Unit(benchmark::kMillisecond);

// discover + parse constitution + bind + run all checks + render JSON.
void BM_CheckEndToEnd(benchmark::State& state) {
  memory::tune_for_batch_runs();  // as `constable check` runs
  std::size_t findings = 0;
  for (auto _ : state) {
    app::CommonOptions options;
    options.path = repo();
    options.today = Date::parse("2026-11-22");
    auto session = app::open_session(options);
    engine::RunOptions run_options;
    run_options.jobs = static_cast<unsigned>(state.range(0));
    auto result = engine::run(session->plan, session->constitution, session->config, session->workspace, run_options);
    report::Report rep;
    rep.result = &result;
    benchmark::DoNotOptimize(report::render(rep, report::Format::json, {}));
    findings = result.findings.size();
  }
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_CheckEndToEnd)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
