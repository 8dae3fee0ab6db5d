// Kubernetes manifest checks on a synthetic repository of 5,000 manifests:
// Deployments, Services, ConfigMaps and CronJobs spread over 50 namespaces,
// a quarter of them through kustomize overlays, against the physical limit
// of parsing every file once.

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "app/app.hpp"
#include "engine/run.hpp"
#include "formats/yaml/yaml.hpp"

namespace {

namespace fs = std::filesystem;
using namespace constable;

constexpr int kManifests = 5000;

std::string deployment(int i, const std::string& ns) {
  return fmt::format(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-{0}\n{1}  labels: {{app: svc-{0}}}\nspec:\n"
      "  replicas: {2}\n  revisionHistoryLimit: 10\n  strategy:\n    rollingUpdate: {{maxUnavailable: 25%, maxSurge: "
      "{3}}}\n"
      "  selector:\n    matchLabels: {{app: svc-{0}}}\n  template:\n    metadata:\n      labels: {{app: svc-{0}}}\n"
      "      annotations: {{checksum/config: abc{0}}}\n    spec:\n      securityContext: {{runAsNonRoot: true}}\n"
      "      containers:\n        - name: app\n          image: registry.example.com/svc-{0}:{4}\n"
      "          envFrom: [{{configMapRef: {{name: svc-{0}}}}}]\n"
      "          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: "
      "{5}\n"
      "            capabilities: {{drop: [ALL]}}\n          resources:\n            requests: {{cpu: 100m, memory: "
      "128Mi}}\n"
      "            limits: {{cpu: 500m{6}}}\n          livenessProbe: {{httpGet: {{path: /healthz, port: 8080}}}}\n"
      "          readinessProbe: {{httpGet: {{path: /ready, port: 8080}}}}\n",
      i, ns.empty() ? "" : fmt::format("  namespace: {}\n", ns), 2 + i % 6, i % 7 == 0 ? "2" : "1",
      i % 11 == 0 ? "latest" : fmt::format("v1.{}.0", i % 40), i % 13 == 0 ? "false" : "true",
      i % 17 == 0 ? "" : ", memory: 256Mi");
}

std::string companions(int i, const std::string& ns) {
  const std::string meta = fmt::format("  name: svc-{}\n{}", i, ns.empty() ? "" : fmt::format("  namespace: {}\n", ns));
  return fmt::format(
      "---\napiVersion: v1\nkind: Service\nmetadata:\n{0}spec:\n  selector: {{app: svc-{1}}}\n  ports: [{{port: 80}}]\n"
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n{0}data:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: \"a,b,c\"\n"
      "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n{0}spec:\n  maxUnavailable: 1\n"
      "  selector: {{matchLabels: {{app: svc-{1}}}}}\n",
      meta, i);
}

const fs::path& repo() {
  static const fs::path root = [] {
    const fs::path dir = fs::temp_directory_path() / "constable-bench-manifests";
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy_file(fs::path(CONSTABLE_SOURCE_DIR) / "examples" / "k8s-platform" / "CONSTITUTION.md",
                  dir / "CONSTITUTION.md");
    // Each service is one file of four manifests (Deployment, Service,
    // ConfigMap, PDB): 1,250 files, 5,000 manifests.
    for (int i = 0; i < kManifests / 4; ++i) {
      const int team = i % 50;
      const bool kustomized = (i / 50) % 4 == 0;  // every team has some services in kustomize
      const std::string ns = kustomized ? "" : fmt::format("team-{}-prod", team);
      const fs::path file = kustomized
                                ? dir / "apps" / fmt::format("team-{}", team) / "base" / fmt::format("svc-{}.yaml", i)
                                : dir / "manifests" / fmt::format("team-{}", team) / fmt::format("svc-{}.yaml", i);
      fs::create_directories(file.parent_path());
      std::ofstream(file) << deployment(i, ns) << companions(i, ns);
    }
    for (int team = 0; team < 50; ++team) {
      const fs::path base = dir / "apps" / fmt::format("team-{}", team) / "base";
      std::string resources;
      for (const auto& entry : fs::directory_iterator(base))
        resources += "  - " + entry.path().filename().string() + "\n";
      std::ofstream(base / "kustomization.yaml") << "resources:\n" << resources;
      for (const char* env : {"dev", "prod"}) {
        const fs::path overlay = base.parent_path() / "overlays" / env;
        fs::create_directories(overlay);
        std::ofstream(overlay / "kustomization.yaml")
            << fmt::format("namespace: team-{}-{}\nresources:\n  - ../../base\n  - policies.yaml\n", team, env);
        std::ofstream(overlay / "policies.yaml")
            << "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: quota}\nspec: {hard: {pods: \"50\"}}\n---\n"
               "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: "
               "{}}\n";
      }
      std::ofstream(dir / "manifests" / fmt::format("team-{}", team) / "policies.yaml") << fmt::format(
          "apiVersion: v1\nkind: ResourceQuota\nmetadata: {{name: quota, namespace: team-{0}-prod}}\n"
          "spec: {{hard: {{pods: \"50\"}}}}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
          "metadata: {{name: deny, namespace: team-{0}-prod}}\nspec: {{podSelector: {{}}}}\n",
          team);
    }
    return dir;
  }();
  return root;
}

// Parsing every YAML file once: the floor of any manifest checker.
void BM_ParseEveryManifest(benchmark::State& state) {
  auto ws = workspace::discover(repo(), {});
  std::size_t documents = 0;
  for (auto _ : state) {
    documents = 0;
    for (const auto& file : ws->files) {
      if (file.kind != FileKind::yaml) continue;
      std::ifstream in(file.absolute, std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      documents += yaml::parse(buffer.str()).documents.size();
    }
  }
  state.counters["documents"] = static_cast<double>(documents);
}
BENCHMARK(BM_ParseEveryManifest)->Unit(benchmark::kMillisecond);

// discover + constitution + bind + every check (17 Kubernetes, Helm, docker, ...).
void BM_ManifestsEndToEnd(benchmark::State& state) {
  std::size_t findings = 0;
  for (auto _ : state) {
    app::CommonOptions options;
    options.path = repo();
    options.today = Date::parse("2026-11-22");
    auto session = app::open_session(options);
    engine::RunOptions run_options;
    run_options.jobs = static_cast<unsigned>(state.range(0));
    const auto result =
        engine::run(session->plan, session->constitution, session->config, session->workspace, run_options);
    findings = result.findings.size();
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["manifests/s"] = benchmark::Counter(
      static_cast<double>(kManifests) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ManifestsEndToEnd)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
