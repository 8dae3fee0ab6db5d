// The Rego interpreter on the workload issue 15 names: a 20-rule policy set
// of the kind Gatekeeper's library holds (one package per rule, each a
// `violation` over input.review.object) evaluated for every one of N
// generated Kubernetes Deployments, on 1 and 2 threads. Reports microseconds
// per document (all 20 rules) and the peak resident set.
//
//   build/release/bench/constable_rego_bench --benchmark_repetitions=3

#include <sys/resource.h>

#include <chrono>
#include <thread>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "rego/compiler.hpp"
#include "rego/eval.hpp"
#include "rego/parser.hpp"

namespace {

using namespace constable::rego;

// Twenty rules, each its own package as a ConstraintTemplate would be.
const char* const kRules[] = {
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not c.resources.limits.cpu; msg := sprintf("container %v has no cpu limit", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not c.resources.limits.memory; msg := sprintf("container %v has no memory limit", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not c.resources.requests; msg := sprintf("container %v has no requests", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not c.livenessProbe; msg := sprintf("container %v has no liveness probe", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not c.readinessProbe; msg := sprintf("container %v has no readiness probe", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; endswith(c.image, ":latest"); msg := sprintf("container %v uses latest", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not contains(c.image, ":"); msg := sprintf("container %v has no tag", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; c.securityContext.privileged; msg := sprintf("container %v is privileged", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not c.securityContext.runAsNonRoot; msg := sprintf("container %v may run as root", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not c.securityContext.readOnlyRootFilesystem; msg := sprintf("container %v has a writable root", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; c.securityContext.allowPrivilegeEscalation != false; msg := sprintf("container %v may escalate", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not "ALL" in object.get(c, ["securityContext", "capabilities", "drop"], []); msg := sprintf("container %v keeps capabilities", [c.name]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; not strings.any_prefix_match(c.image, input.parameters.repos); msg := sprintf("container %v image %v is from an unapproved registry", [c.name, c.image]) })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; p := c.ports[_]; p.hostPort; msg := sprintf("container %v uses host port %v", [c.name, p.hostPort]) })",
    R"(violation[{"msg": msg}] { input.review.object.spec.template.spec.hostNetwork; msg := "pod uses the host network" })",
    R"(violation[{"msg": msg}] { v := input.review.object.spec.template.spec.volumes[_]; v.hostPath; msg := sprintf("volume %v is a hostPath", [v.name]) })",
    R"(violation[{"msg": msg}] { required := {l | l := input.parameters.labels[_]}; provided := {l | input.review.object.metadata.labels[l]}; missing := required - provided; count(missing) > 0; msg := sprintf("missing labels %v", [missing]) })",
    R"(violation[{"msg": msg}] { r := input.review.object.spec.replicas; r > input.parameters.max_replicas; msg := sprintf("%v replicas is more than %v", [r, input.parameters.max_replicas]) })",
    R"(violation[{"msg": msg}] { input.review.object.spec.template.spec.automountServiceAccountToken != false; msg := "the service account token is mounted" })",
    R"(violation[{"msg": msg}] { c := input.review.object.spec.template.spec.containers[_]; mem := units.parse_bytes(c.resources.limits.memory); mem > units.parse_bytes("2Gi"); msg := sprintf("container %v asks for more than 2Gi", [c.name]) })",
};
constexpr std::size_t kRuleCount = sizeof(kRules) / sizeof(kRules[0]);

std::shared_ptr<const Policy> policy_set() {
  std::vector<Module> modules;
  for (std::size_t i = 0; i < kRuleCount; ++i) {
    auto module = parse_module(fmt::format("package rule{}\nimport future.keywords.in\n{}\n", i, kRules[i]),
                               fmt::format("rule{}.rego", i));
    if (!module) throw std::runtime_error(module.error().to_string());
    modules.push_back(std::move(*module));
  }
  auto compiled = compile(std::move(modules));
  if (!compiled) throw std::runtime_error(compiled.error().to_string());
  return *compiled;
}

// A Deployment whose shape varies with i: some compliant, some not.
Value deployment(std::size_t i) {
  const bool hardened = i % 3 != 0;
  const std::string container = fmt::format(
      R"({{"name": "app{0}", "image": "{1}/app{0}:{2}", "ports": [{{"containerPort": 8080{3}}}],
          "resources": {{"limits": {{"cpu": "500m", "memory": "{4}Mi"}}, "requests": {{"cpu": "100m"}}}},
          "securityContext": {{"runAsNonRoot": {5}, "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false,
                              "capabilities": {{"drop": ["ALL"]}}}}
          {6}}})",
      i, i % 7 == 0 ? "docker.io/library" : "registry.example.com/team", i % 11 == 0 ? "latest" : "1.2.3",
      i % 13 == 0 ? R"(, "hostPort": 80)" : "", 128 + (i % 40) * 64, hardened ? "true" : "false",
      hardened ? R"(, "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}, "readinessProbe": {"httpGet": {"path": "/readyz", "port": 8080}})"
               : "");
  const std::string object = fmt::format(
      R"({{"apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {{"name": "app{0}", "namespace": "team{1}", "labels": {{"team": "t{1}"{2}}}}},
          "spec": {{"replicas": {3}, "selector": {{"matchLabels": {{"app": "app{0}"}}}},
                   "template": {{"metadata": {{"labels": {{"app": "app{0}"}}}},
                                "spec": {{"automountServiceAccountToken": false, "containers": [{4}, {4}]}}}}}}}})",
      i, i % 17, i % 5 == 0 ? "" : R"(, "app.kubernetes.io/name": "x")", 1 + i % 12, container);
  auto value = parse_json(object);
  if (!value) throw std::runtime_error("bad generated object");
  return Value::object({{Value::string("review"), Value::object({{Value::string("object"), *value}})},
                        {Value::string("parameters"),
                         *parse_json(R"({"repos": ["registry.example.com/"], "labels": ["team", "app.kubernetes.io/name"], "max_replicas": 10})")}});
}

std::size_t evaluate_all(const Policy& policy, const std::vector<Value>& inputs, std::size_t begin, std::size_t end) {
  std::size_t violations = 0;
  Evaluator evaluator(policy, Value::empty_object(), std::nullopt);
  for (std::size_t d = begin; d < end; ++d) {
    evaluator.set_input(inputs[d]);
    for (std::size_t r = 0; r < kRuleCount; ++r) {
      auto document = evaluator.document({fmt::format("rule{}", r), "violation"});
      if (document && *document) violations += (**document).size();
    }
  }
  return violations;
}

void BM_TwentyRulesPerDocument(benchmark::State& state) {
  const auto policy = policy_set();
  const auto documents = static_cast<std::size_t>(state.range(0));
  const auto threads = static_cast<unsigned>(state.range(1));
  std::vector<Value> inputs;
  inputs.reserve(documents);
  for (std::size_t i = 0; i < documents; ++i) inputs.push_back(deployment(i));
  std::size_t violations = 0;
  double seconds = 0;
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::size_t> found(threads, 0);
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        const std::size_t begin = documents * t / threads;
        const std::size_t end = documents * (t + 1) / threads;
        found[t] = evaluate_all(*policy, inputs, begin, end);
      });
    }
    for (auto& w : workers) w.join();
    violations = 0;
    for (auto n : found) violations += n;
    benchmark::DoNotOptimize(violations);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["violations"] = static_cast<double>(violations);
  state.counters["us_per_document"] =
      seconds * 1e6 / (static_cast<double>(state.iterations()) * static_cast<double>(documents));
  state.counters["peak_rss_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_TwentyRulesPerDocument)
    ->Args({1000, 1})
    ->Args({10000, 1})
    ->Args({10000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
