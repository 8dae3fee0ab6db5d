// A check's literal prefilter over a chart repository's texts: the spellings
// observability/trace-sampling asks about, by a text::contains per literal
// against one text::Literals pass. The texts are generated CRD-like YAML,
// whose descriptions say "example" (a near miss of "sampl") on every line.

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/literals.hpp"
#include "core/text.hpp"

namespace {

using namespace constable;

constexpr std::string_view kSpellings[] = {"sampl",      "Sampl",      "sAMPL",       "SAMPL",
                                           "ratioBased", "RatioBased", "ratio_based", "Ratio_based"};

// 400 texts of 160 KB each, 64 MB in all, none naming a spelling.
const std::vector<std::string>& texts() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> out;
    for (int t = 0; t < 400; ++t) {
      std::string text = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n";
      for (int line = 0; text.size() < 160 * 1024; ++line)
        text += fmt::format("            field{}:\n              description: An example of field {}, for example "
                            "a count.\n              type: integer\n",
                            line, line);
      out.push_back(std::move(text));
    }
    return out;
  }();
  return all;
}

void BM_PrefilterLiteralByLiteral(benchmark::State& state) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    int hits = 0;
    for (const std::string& text : texts()) {
      bool any = false;
      for (const std::string_view literal : kSpellings) any = any || text::contains(text, literal);
      hits += any ? 1 : 0;
      bytes += text.size();
    }
    benchmark::DoNotOptimize(hits);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_PrefilterLiteralByLiteral)->Unit(benchmark::kMillisecond);

void BM_PrefilterOnePass(benchmark::State& state) {
  static const text::Literals set{"sampl",      "Sampl",      "sAMPL",       "SAMPL",
                                  "ratioBased", "RatioBased", "ratio_based", "Ratio_based"};
  std::size_t bytes = 0;
  for (auto _ : state) {
    int hits = 0;
    for (const std::string& text : texts()) {
      hits += set.any_in(text) ? 1 : 0;
      bytes += text.size();
    }
    benchmark::DoNotOptimize(hits);
  }
  state.counters["compiled"] = set.compiled() ? 1 : 0;
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_PrefilterOnePass)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
