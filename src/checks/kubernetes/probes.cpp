// kubernetes/probes: "All workloads MUST specify: Liveness and readiness
// probes". Only workloads whose pods keep running: a Job's pod finishes, and
// init containers cannot have these probes at all.

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace probes_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/probes",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Give every long-running container liveness and readiness probes",
    .rationale =
        "Without a readiness probe traffic reaches pods that cannot serve it, during rollouts too; "
        "without a liveness probe a hung process is never restarted.",
    .remediation =
        "Add livenessProbe and readinessProbe (httpGet, grpc, tcpSocket or exec) to each container of "
        "Deployments, StatefulSets, DaemonSets and ReplicaSets.",
    .bad_example = "containers:\n  - name: web\n    image: registry.example.com/web:v1.2.3\n",
    .good_example =
        "containers:\n  - name: web\n    livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n"
        "    readinessProbe: {httpGet: {path: /ready, port: 8080}}\n",
    .parameters = "the probe kinds the clause names (liveness, readiness, startup)",
    .clause = {.section = "kubernetes", .text = "(liveness|readiness).*probes?"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

// The same rule at admission: the app containers of long-running workloads.
constexpr std::string_view kGatekeeperRego = R"(
violation[{"msg": msg}] {
  long_running
  some c in pod_spec.containers
  missing := [sprintf("%sProbe", [p]) | some p in input.parameters.probes; not c[sprintf("%sProbe", [p])]]
  count(missing) > 0
  msg := sprintf("container '%s' of %s %s has no %s", [c.name, input.review.object.kind, input.review.object.metadata.name, concat(", ", missing)])
}
)";

class ProbesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    probes_.clear();
    const std::string lower = text::to_lower(clause.text);
    for (const char* kind : {"liveness", "readiness", "startup"})
      if (lower.find(kind) != std::string::npos) probes_.push_back(kind);
    if (probes_.empty()) return fail("the clause names no probe kind (liveness, readiness, startup)");
    return {};
  }
  std::string bound_parameters() const override { return fmt::format("probes: {}", join_and(probes_)); }

  std::optional<GatekeeperForm> gatekeeper_form() const override {
    return GatekeeperForm{std::string(kGatekeeperRego) + std::string(kPodContainersRego), workload_kinds(),
                          json_parameters("probes", probes_)};
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for_each_pod_template(context.manifests(), [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      if (!kube::is_long_running(object.kind)) return;
      for (const auto& c : kube::containers(tmpl.spec)) {
        if (c.init) continue;
        std::vector<std::string> missing;
        for (const auto& probe : probes_)
          if (c.node->get(probe + "Probe") == nullptr) missing.push_back(probe + "Probe");
        if (missing.empty()) continue;
        report(out, object, container_anchor(c),
               fmt::format("container '{}' of {} has no {}", c.name, object.display_name(), join_and(missing)));
      }
    });
  }

 private:
  std::vector<std::string> probes_;
};

}  // namespace probes_check
}  // namespace

std::unique_ptr<engine::Check> make_probes_check() { return engine::make_check<probes_check::ProbesCheck>(); }

}  // namespace constable::checks::kubernetes
