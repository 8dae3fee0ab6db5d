// kubernetes/no-latest-tag: "latest tag is PROHIBITED in production". An
// image with no tag is pulled as :latest. A manifest whose environment
// nothing states can reach production, so only an explicitly non-production
// one (a dev overlay, a test namespace, values-dev.yaml) may use it.

#include <fmt/format.h>

#include "checks/kubernetes/image_tags.hpp"
#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "kube/production.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace no_latest_tag_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/no-latest-tag",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Never deploy the latest tag (or no tag) to production",
    .rationale =
        "`latest` names whatever was pushed last: two nodes can run different code under one name, a "
        "restart silently upgrades, and a rollback has nothing to roll back to.",
    .remediation =
        "Deploy a release tag (v1.2.3) or a digest (@sha256:...); keep `latest` to manifests marked as "
        "development (a dev overlay or namespace, values-dev.yaml).",
    .bad_example = "image: registry.example.com/web:latest\n",
    .good_example = "image: registry.example.com/web:v1.2.3\n",
    .parameters = "",
    .clause = {.section = "tagging|kubernetes", .text = "latest.*(prohibited|must not|never)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

// The same rule at admission, where a namespace is all there is to tell
// an environment by: one named for a non-production word may run latest.
constexpr std::string_view kGatekeeperRego = R"rego(
violation[{"msg": msg}] {
  not non_production_namespace
  some c in pod_containers
  is_string(c.image)
  why := latest(c.image)
  msg := sprintf("container '%s' of %s %s runs %s %s", [c.name, input.review.object.kind, input.review.object.metadata.name, c.image, why])
}

# "registry:5000/team/web:1.2" -> "web:1.2": a registry's port is no tag.
last_segment(image) := parts[count(parts) - 1] if parts := split(image, "/")

latest(image) := "with no tag (pulled as latest)" if {
  not contains(image, "@")
  not contains(last_segment(image), ":")
}

latest(image) := "(the latest tag)" if {
  not contains(image, "@")
  endswith(last_segment(image), ":latest")
}

namespace := ns if { ns := input.review.object.metadata.namespace } else := ns if { ns := input.review.namespace }

non_production_namespace if {
  parts := split(namespace, "-")
  some word in {parts[0], parts[count(parts) - 1], namespace}
  word in input.parameters.non_production_words
}
)rego";

class NoLatestTagCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  std::optional<GatekeeperForm> gatekeeper_form() const override {
    std::vector<std::string> words(kube::non_production_words().begin(), kube::non_production_words().end());
    return GatekeeperForm{std::string(kGatekeeperRego) + std::string(kPodContainersRego), workload_kinds(),
                          json_parameters("non_production_words", words)};
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for_each_workload_image(context.manifests(), [&](const WorkloadImage& use) {
      if (!uses_latest(use.image) || use.non_production) return;
      report(out, use.object, &use.node,
             fmt::format("container '{}' of {} runs {} {}{}", use.container.name, use.object.display_name(),
                         shown_image(use), use.image.tag.empty() ? "with no tag (pulled as latest)" : "(the latest tag)",
                         environment_note(use)));
    });
  }
};

}  // namespace no_latest_tag_check
}  // namespace

std::unique_ptr<engine::Check> make_no_latest_tag_check() {
  return engine::make_check<no_latest_tag_check::NoLatestTagCheck>();
}

}  // namespace constable::checks::kubernetes
