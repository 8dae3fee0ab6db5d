// kubernetes/security-context: "All workloads MUST specify: Security contexts
// with least privilege". Pod-level settings apply to every container unless
// the container sets its own (runAsNonRoot, runAsUser); the rest are
// container-only or pod-only fields.

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace security_context_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/security-context",
    .domain = "kubernetes",
    .nature = Nature::security,
    .summary = "Run every container with a least-privilege security context",
    .rationale =
        "A container running as root, able to escalate privileges, with a writable root filesystem, "
        "Linux capabilities or the host's namespaces turns any code-execution bug into a node compromise.",
    .remediation =
        "Set runAsNonRoot: true (pod or container), and per container allowPrivilegeEscalation: false, "
        "readOnlyRootFilesystem: true and capabilities.drop: [ALL]; remove privileged, hostNetwork, "
        "hostPID, hostIPC and hostPath volumes.",
    .bad_example =
        "spec:\n  hostNetwork: true\n  containers:\n    - name: web\n      securityContext: {privileged: true}\n",
    .good_example =
        "spec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n    - name: web\n"
        "      securityContext:\n        allowPrivilegeEscalation: false\n"
        "        readOnlyRootFilesystem: true\n        capabilities: {drop: [ALL]}\n",
    .parameters = "",
    .clause = {.section = "kubernetes", .text = "security contexts?.*(least privilege|least-privilege)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

const yaml::Node* field(const yaml::Node* context, std::string_view key) {
  return context != nullptr && context->is_mapping() ? context->get(key) : nullptr;
}

bool is_true(const yaml::Node* n) { return n != nullptr && n->as_bool() == true; }
bool is_false(const yaml::Node* n) { return n != nullptr && n->as_bool() == false; }

// The same rules at admission.
constexpr std::string_view kGatekeeperRego = R"rego(
violation[{"msg": msg}] {
  some host in ["hostNetwork", "hostPID", "hostIPC"]
  pod_spec[host] == true
  msg := sprintf("%s %s shares the host's %s namespace (%s: true)", [input.review.object.kind, input.review.object.metadata.name, substring(host, 4, -1), host])
}

violation[{"msg": msg}] {
  some v in pod_spec.volumes
  is_object(v)
  "hostPath" in object.keys(v)
  msg := sprintf("%s %s mounts a hostPath volume '%v'", [input.review.object.kind, input.review.object.metadata.name, object.get(v, "name", "")])
}

violation[{"msg": msg}] {
  some c in pod_containers
  c.securityContext.privileged == true
  msg := sprintf("container '%s' of %s %s is privileged", [c.name, input.review.object.kind, input.review.object.metadata.name])
}

violation[{"msg": msg}] {
  some c in pod_containers
  gaps := array.concat(array.concat(user_gap(c), escalation_gap(c)), array.concat(read_only_gap(c), capabilities_gap(c)))
  count(gaps) > 0
  msg := sprintf("container '%s' of %s %s lacks least privilege: %s", [c.name, input.review.object.kind, input.review.object.metadata.name, concat(", ", gaps)])
}

# Container settings override the pod's.
run_as_user(c) := u if { u := c.securityContext.runAsUser } else := u if { u := pod_spec.securityContext.runAsUser }
run_as_non_root(c) := v if { v := c.securityContext.runAsNonRoot } else := v if { v := pod_spec.securityContext.runAsNonRoot }

user_gap(c) := ["runAsUser is 0 (root)"] if { run_as_user(c) == 0 }
else := [] if { run_as_non_root(c) == true }
else := [] if { run_as_user(c) > 0 }
else := ["runAsNonRoot: true"]

escalation_gap(c) := [] if { c.securityContext.allowPrivilegeEscalation == false } else := ["allowPrivilegeEscalation: false"]
read_only_gap(c) := [] if { c.securityContext.readOnlyRootFilesystem == true } else := ["readOnlyRootFilesystem: true"]
capabilities_gap(c) := [] if { some cap in c.securityContext.capabilities.drop; cap in {"ALL", "all"} } else := ["capabilities.drop: [ALL]"]
)rego";

class SecurityContextCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  std::optional<GatekeeperForm> gatekeeper_form() const override {
    return GatekeeperForm{std::string(kGatekeeperRego) + std::string(kPodContainersRego), workload_kinds(), "{}"};
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for_each_pod_template(context.manifests(), [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      const yaml::Node* pod = tmpl.spec->get("securityContext");
      for (const char* host : {"hostNetwork", "hostPID", "hostIPC"}) {
        const yaml::Node* n = tmpl.spec->get(host);
        if (is_true(n))
          report(out, object, n,
                 fmt::format("{} shares the host's {} namespace ({}: true)", object.display_name(),
                             std::string_view(host).substr(4), host));
      }
      if (const yaml::Node* volumes = tmpl.spec->get("volumes"); volumes != nullptr && volumes->is_sequence()) {
        for (const yaml::Node* v : volumes->items) {
          if (!v->is_mapping()) continue;
          if (const yaml::Entry* host_path = v->find("hostPath"))
            report(out, object, host_path->key,
                   fmt::format("{} mounts a hostPath volume '{}'", object.display_name(),
                               v->get("name") != nullptr ? v->get("name")->str() : std::string_view{}));
        }
      }
      for (const auto& c : kube::containers(tmpl.spec)) {
        const yaml::Node* own = c.node->get("securityContext");
        if (const yaml::Node* privileged = field(own, "privileged"); is_true(privileged)) {
          report(out, object, privileged,
                 fmt::format("container '{}' of {} is privileged", c.name, object.display_name()));
        }
        std::vector<std::string> missing;
        // Container settings override the pod's.
        const yaml::Node* non_root =
            field(own, "runAsNonRoot") != nullptr ? field(own, "runAsNonRoot") : field(pod, "runAsNonRoot");
        const yaml::Node* user = field(own, "runAsUser") != nullptr ? field(own, "runAsUser") : field(pod, "runAsUser");
        const bool root_user = user != nullptr && user->as_int() == 0;
        if (root_user)
          missing.push_back("runAsUser is 0 (root)");
        else if (!is_true(non_root) && !(user != nullptr && user->as_int().value_or(0) > 0))
          missing.push_back("runAsNonRoot: true");
        if (!is_false(field(own, "allowPrivilegeEscalation"))) missing.push_back("allowPrivilegeEscalation: false");
        if (!is_true(field(own, "readOnlyRootFilesystem"))) missing.push_back("readOnlyRootFilesystem: true");
        bool drops_all = false;
        if (const yaml::Node* drop = field(field(own, "capabilities"), "drop"); drop != nullptr && drop->is_sequence())
          for (const yaml::Node* cap : drop->items) drops_all = drops_all || cap->str() == "ALL" || cap->str() == "all";
        if (!drops_all) missing.push_back("capabilities.drop: [ALL]");
        if (missing.empty()) continue;
        const yaml::Entry* own_entry = c.node->find("securityContext");
        report(out, object, own_entry != nullptr ? own_entry->key : container_anchor(c),
               fmt::format("{}container '{}' of {} lacks least privilege: {}", c.init ? "init " : "", c.name,
                           object.display_name(), join_and(missing)));
      }
    });
  }
};

}  // namespace security_context_check
}  // namespace

std::unique_ptr<engine::Check> make_security_context_check() {
  return engine::make_check<security_context_check::SecurityContextCheck>();
}

}  // namespace constable::checks::kubernetes
