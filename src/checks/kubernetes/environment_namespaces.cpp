// kubernetes/environment-namespaces: "Environment isolation: dev, staging,
// production namespaces". Two things break isolation mechanically: deploying
// into the catch-all `default` namespace, and two environments' overlays
// deploying into one namespace.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace environment_namespaces_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/environment-namespaces",
    .domain = "kubernetes",
    .nature = Nature::security,
    .summary = "Give each environment its own namespace, never `default`",
    .rationale =
        "Quotas, network policies and RBAC are per namespace: environments that share one (or share "
        "`default` with everything else) share blast radius, credentials and capacity. A Role or RoleBinding "
        "in `default` that grants access to `default` itself deploys nothing there and is not reported.",
    .remediation =
        "Deploy each environment into its own namespace (e.g. shop-dev, shop-staging, shop-production), "
        "set by the environment's kustomize overlay or Helm release namespace.",
    .bad_example = "metadata:\n  name: web\n  namespace: default\n",
    .good_example = "metadata:\n  name: web\n  namespace: shop-production\n",
    .parameters = "the environments the clause lists, e.g. \"dev, staging, production namespaces\"",
    .clause = {.section = "namespace|kubernetes", .text = "environment isolation"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

class EnvironmentNamespacesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    environments_.clear();
    std::string_view listed = clause.text;
    if (const auto colon = listed.find(':'); colon != std::string_view::npos) listed = listed.substr(colon + 1);
    for (auto item : constitution::capture_list(listed)) {
      std::string word = text::to_lower(text::trim(item));
      if (const auto space = word.find(' '); space != std::string::npos) word.resize(space);  // "production namespaces"
      if (!word.empty()) environments_.push_back(word);
    }
    if (environments_.size() < 2) return fail("the clause lists no environments, e.g. \"dev, staging, production\"");
    return {};
  }
  std::string bound_parameters() const override { return fmt::format("environments: {}", join_and(environments_)); }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    // namespace -> environment -> the overlay that deploys it there
    std::map<std::string, std::map<std::string, std::pair<const kube::Object*, std::string>>> deployed;
    for (const auto& object : context.manifests().objects()) {
      if (object.declared_namespace() == "default" && !grants_access_to_its_namespace(object))
        report(out, object, object.metadata->get("namespace"),
               fmt::format("{} is deployed to the default namespace, shared with everything else",
                           object.display_name()));
      for (const auto& p : object.placements) {
        if (p.via.empty() || p.namespace_name.empty()) continue;
        const std::string env = environment_of(p.via);
        if (!env.empty()) deployed[p.namespace_name].emplace(env, std::pair{&object, p.via});
      }
    }
    report_context_namespaces(context.manifests(), out);
    for (const auto& [ns, envs] : deployed) {
      if (envs.size() < 2) continue;
      std::vector<std::string> names;
      for (const auto& [env, where] : envs) names.push_back(fmt::format("{} ({})", env, where.second));
      report(out, *envs.begin()->second.first, nullptr,
             fmt::format("environments {} all deploy into namespace '{}'", join_and(names), ns));
    }
  }

 private:
  // A Role or RoleBinding in `default` gives someone access to that namespace
  // (a monitoring stack reading its endpoints): it has to live there, and it
  // runs nothing there.
  static bool grants_access_to_its_namespace(const kube::Object& object) {
    return object.api_version.starts_with("rbac.authorization.k8s.io/") &&
           (object.kind == "Role" || object.kind == "RoleBinding");
  }

  // Manifests applied as they are, with no namespace of their own and none
  // from a kustomization, land in whatever namespace the current kubectl
  // context uses: one finding per directory. Rendered charts are exempt (the
  // release namespace is chosen at install), and so are custom resources,
  // whose scope only their definition knows.
  static void report_context_namespaces(const kube::ManifestSet& manifests, engine::Emitter& out) {
    std::map<std::string, std::vector<const kube::Object*>> by_directory;
    for (const auto& object : manifests.objects()) {
      if (object.source->origins != nullptr || object.namespace_left_open || !object.declared_namespace().empty())
        continue;
      if (!kube::is_builtin_api(object.api_version) || kube::is_cluster_scoped(object.kind)) continue;
      const bool anywhere_named =
          std::any_of(object.placements.begin(), object.placements.end(),
                      [](const kube::Placement& p) { return !p.namespace_name.empty(); });
      if (!anywhere_named) by_directory[std::string(text::dirname(object.source->path))].push_back(&object);
    }
    for (const auto& [directory, objects] : by_directory) {
      const std::string where = directory.empty() ? std::string("the repository root") : directory + "/";
      const bool one = objects.size() == 1;
      const std::string subject =
          one ? objects.front()->display_name() : fmt::format("{} objects", objects.size());
      engine::Emission e = emission_at(
          *objects.front(), nullptr,
          fmt::format("{} in {} {} no namespace and no kustomization sets one: {} in whatever namespace the "
                      "current kubectl context uses (often `default`)",
                      subject, where, one ? "sets" : "set", one ? "it lands" : "they land"));
      e.anchor = "context namespace\n" + directory;  // the directory is the problem, not its first object
      out.emit(std::move(e));
    }
  }

  // The environment a kustomization path belongs to: a directory segment
  // naming one of the clause's environments (or a common short form).
  std::string environment_of(std::string_view path) const {
    for (std::string_view segment : text::split(path, '/')) {
      const std::string s = text::to_lower(segment);
      for (const auto& env : environments_) {
        if (s == env) return env;
        if ((env == "production" && s == "prod") || (env == "development" && s == "dev") ||
            (env == "staging" && s == "stage") || (env == "dev" && s == "development") ||
            (env == "prod" && s == "production"))
          return env;
      }
    }
    return {};
  }

  std::vector<std::string> environments_;
};

}  // namespace environment_namespaces_check
}  // namespace

std::unique_ptr<engine::Check> make_environment_namespaces_check() {
  return engine::make_check<environment_namespaces_check::EnvironmentNamespacesCheck>();
}

}  // namespace constable::checks::kubernetes
