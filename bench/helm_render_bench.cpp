// Rendering a generated chart of 50 templates in-process (issue 4's
// target: under 20 ms). Each template is a realistic Deployment with
// helpers (include, nindent), toYaml of a values block, range over a map,
// printf, quote, default and an if/else; the chart is written once to a
// temporary directory and loaded once; the benchmark measures render()
// (values coalescing, parsing every template, executing them, splitting
// and ordering the manifests, line mapping), and counts the heap
// allocations one render makes (issue 19: allocator churn).
// BM_ParseTemplates parses templates alone: the generated chart's, or
// every file under a templates/ directory of CONSTABLE_BENCH_CHARTS (a
// repository of charts fetched outside the project, such as
// bitnami/charts) to measure real ones.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/memory.hpp"
#include "helm/chart.hpp"
#include "helm/render.hpp"
#include "helm/template/functions.hpp"
#include "helm/template/parser.hpp"

// This replacement operator new allocates with malloc, so free is the match:
// g++ only sees the default pairing.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

// Every allocation of the process, counted: this binary replaces the global
// operator new and delete (the sized deletes too; aligned allocations, which
// the renderer does not make, are not counted).
std::atomic<std::uint64_t> g_allocations{0};

}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

namespace fs = std::filesystem;
using namespace constable;

constexpr int kTemplates = 50;

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

fs::path generate_chart() {
  const fs::path dir = fs::temp_directory_path() / "constable-bench-helm-chart";
  fs::remove_all(dir);
  write(dir / "Chart.yaml", "apiVersion: v2\nname: bench\nversion: 1.0.0\nappVersion: \"3.1\"\n");
  std::string values = "image:\n  repository: registry.example.com/app\n  tag: \"\"\nresources:\n  limits:\n    cpu: 500m\n"
                       "    memory: 256Mi\n  requests:\n    cpu: 100m\n    memory: 128Mi\nenv:\n";
  for (int i = 0; i < 20; ++i) values += fmt::format("  VAR_{:02}: value-{}\n", i, i);
  values += "components:\n";
  for (int i = 0; i < kTemplates; ++i) values += fmt::format("  c{}:\n    replicas: {}\n    port: {}\n", i, i % 5 + 1, 8000 + i);
  write(dir / "values.yaml", values);
  write(dir / "templates/_helpers.tpl", R"({{- define "bench.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "bench.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
)");
  for (int i = 0; i < kTemplates; ++i) {
    write(dir / fmt::format("templates/component-{:02}.yaml", i), fmt::format(R"(
{{{{- $c := .Values.components.c{0} }}}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{{{ include "bench.fullname" . }}}}-c{0}
  labels:
    {{{{- include "bench.labels" . | nindent 4 }}}}
spec:
  {{{{- if gt (int $c.replicas) 1 }}}}
  replicas: {{{{ $c.replicas }}}}
  {{{{- else }}}}
  replicas: 1
  {{{{- end }}}}
  template:
    spec:
      containers:
        - name: c{0}
          image: "{{{{ .Values.image.repository }}}}:{{{{ .Values.image.tag | default .Chart.AppVersion }}}}"
          ports:
            - containerPort: {{{{ $c.port }}}}
          env:
            {{{{- range $k, $v := .Values.env }}}}
            - name: {{{{ $k }}}}
              value: {{{{ $v | quote }}}}
            {{{{- end }}}}
          resources:
            {{{{- toYaml .Values.resources | nindent 12 }}}}
---
apiVersion: v1
kind: Service
metadata:
  name: {{{{ include "bench.fullname" . }}}}-c{0}
spec:
  ports:
    - port: {{{{ $c.port }}}}
)",
                                                                                         i));
  }
  return dir;
}

void BM_RenderChart50Templates(benchmark::State& state) {
  memory::tune_for_batch_runs();  // as `constable check` runs
  const fs::path dir = generate_chart();
  auto chart = helm::load_chart(dir, "charts/bench/");
  if (!chart) {
    state.SkipWithError(chart.error().to_string().c_str());
    return;
  }
  std::size_t manifests = 0;
  const std::uint64_t allocations_before = g_allocations.load();
  for (auto _ : state) {
    auto result = helm::render(*chart, {});
    if (!result.problems.empty()) {
      state.SkipWithError(result.problems.front().message.c_str());
      return;
    }
    manifests = result.manifests.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["manifests"] = static_cast<double>(manifests);
  state.counters["allocations_per_render"] =
      static_cast<double>(g_allocations.load() - allocations_before) / static_cast<double>(state.iterations());
  fs::remove_all(dir);
}
// render() runs on its own thread (for a deep stack): measure wall time.
BENCHMARK(BM_RenderChart50Templates)->Unit(benchmark::kMillisecond)->UseRealTime();

// The templates to parse: every file under a templates/ directory below
// `root`, read once.
std::vector<std::pair<std::string, std::string>> templates_under(const fs::path& root) {
  std::vector<std::pair<std::string, std::string>> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end; it != end;
       it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file() || it->path().generic_string().find("/templates/") == std::string::npos) continue;
    std::ifstream in(it->path(), std::ios::binary);
    out.emplace_back(it->path().generic_string(), std::string(std::istreambuf_iterator<char>(in), {}));
  }
  return out;
}

void BM_ParseTemplates(benchmark::State& state) {
  memory::tune_for_batch_runs();
  const char* charts = std::getenv("CONSTABLE_BENCH_CHARTS");
  const fs::path generated = charts == nullptr ? generate_chart() : fs::path();
  const auto templates = templates_under(charts != nullptr ? fs::path(charts) : generated);
  const auto& functions = helm::tmpl::standard_functions();
  const auto is_function = [&](std::string_view name) { return functions.contains(name); };
  std::size_t bytes = 0;
  for (const auto& [path, text] : templates) bytes += text.size();
  const std::uint64_t allocations_before = g_allocations.load();
  for (auto _ : state)
    for (const auto& [path, text] : templates)
      benchmark::DoNotOptimize(helm::tmpl::parse(path, path, text, is_function));
  state.counters["templates"] = static_cast<double>(templates.size());
  state.counters["allocations_per_template"] =
      static_cast<double>(g_allocations.load() - allocations_before) /
      static_cast<double>(state.iterations() * std::max<std::size_t>(1, templates.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  if (!generated.empty()) fs::remove_all(generated);
}
BENCHMARK(BM_ParseTemplates)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
