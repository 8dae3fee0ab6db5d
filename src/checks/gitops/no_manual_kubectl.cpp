// gitops/no-manual-kubectl: "Manual kubectl commands in production are
// PROHIBITED". A CI job or a script that runs `kubectl apply` or `helm
// upgrade` against production changes the cluster around the GitOps
// controller: what runs is whatever the job pushed, not what git declares.

#include <fmt/format.h>
#include <re2/re2.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checks/ci/ci_support.hpp"
#include "checks/gitops/gitops_checks.hpp"
#include "core/text.hpp"
#include "formats/ci/shell.hpp"
#include "kube/production.hpp"

namespace constable::checks::gitops {

namespace {
namespace no_manual_kubectl_check {

constexpr engine::CheckInfo kInfo{
    .id = "gitops/no-manual-kubectl",
    .domain = "gitops",
    .nature = Nature::reliability,
    .summary = "Change production through the GitOps controller, never with kubectl or helm from a job or script",
    .rationale =
        "Argo CD or Flux applies what git declares and puts it back when it drifts; a `kubectl apply` or `helm "
        "upgrade` run against production by a CI job or a script bypasses review of the applied state, fights "
        "the controller and leaves no record in git. Recognised: kubectl apply, create, replace, patch, delete, "
        "edit, scale, set and rollout restart/undo, and helm install, upgrade, uninstall and rollback (not "
        "dry runs), in GitHub Actions and GitLab CI steps, what they call in the repository (make targets, "
        "scripts, package.json scripts) and shell scripts (*.sh, *.bash). Production is what the command names "
        "(a namespace or context such as prod or shop-production, a manifest path or values file that "
        "kube/production calls production), else the job's environment (production, prod-eu), else the "
        "script's own directory (deploy/prod/). Jobs that start a throwaway cluster (kind, minikube, k3d) are "
        "not judged. The section's \"ArgoCD or Flux MUST be used for continuous deployment\" is enforced too: "
        "a job with a deployment environment other than production (and not a pull request's review app), in "
        "a workflow that runs on pushes, tags, releases or a schedule (or on GitLab; not a job only run for pull "
        "requests), that applies a release "
        "with kubectl apply/create/replace/set or helm install/upgrade breaks it.",
    .remediation =
        "Commit the change to the manifests (or the image tag) the Argo CD Application or Flux Kustomization "
        "watches and let the controller apply it; a pipeline promotes a release by a commit (or an image "
        "automation), not by applying it.",
    .bad_example = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n"
                   "    steps:\n      - run: kubectl apply -k deploy/overlays/production\n",
    .good_example = "on: push\njobs:\n  promote:\n    runs-on: ubuntu-latest\n    steps:\n"
                    "      - run: kustomize edit set image app=registry.example.com/app:${{ github.sha }}\n"
                    "        working-directory: deploy/overlays/production\n"
                    "      - run: git commit -am \"promote ${{ github.sha }}\" && git push\n",
    .parameters = "",
    .clause = {.section = "gitops", .text = "manual kubectl|kubectl"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// An imperative change of the cluster, read from one simple command.
struct ClusterChange {
  std::string command;                    // "kubectl apply", "helm upgrade"
  std::vector<std::string> namespaces{};  // -n / --namespace values
  std::vector<std::string> contexts{};    // --context / --kube-context values
  std::vector<std::string> paths{};       // -f / -k / --values files and directories
  bool deploys = false;                   // applies a release (apply, set image, helm upgrade), not a repair
};

bool tool_is(std::string_view word, std::string_view tool) {
  return word == tool || word.ends_with(fmt::format("/{}", tool));
}

// The option's value: `--namespace=x` or `--namespace x` (advancing `i`).
std::optional<std::string> option_value(const std::vector<std::string>& words, std::size_t& i,
                                        std::initializer_list<std::string_view> names) {
  const std::string& word = words[i];
  for (std::string_view name : names) {
    if (word == name && i + 1 < words.size()) return words[++i];
    if (name.starts_with("--") && word.starts_with(fmt::format("{}=", name))) return word.substr(name.size() + 1);
    // Short options glue their value: -nprod.
    if (name.size() == 2 && name[0] == '-' && name[1] != '-' && word.size() > 2 && word.starts_with(name) &&
        word[2] != '-')
      return word.substr(2);
  }
  return std::nullopt;
}

std::optional<ClusterChange> read_change(const std::vector<std::string>& all_words) {
  const std::size_t start = checks::ci::skip_command_prefixes(all_words);
  if (start >= all_words.size()) return std::nullopt;
  const std::string& tool = all_words[start];
  const bool kubectl = tool_is(tool, "kubectl") || tool_is(tool, "oc");
  const bool helm = tool_is(tool, "helm");
  if (!kubectl && !helm) return std::nullopt;
  ClusterChange change;
  std::vector<std::string> positionals;
  for (std::size_t i = start + 1; i < all_words.size(); ++i) {
    const std::string& word = all_words[i];
    if (word.starts_with("--dry-run") && word != "--dry-run=none") return std::nullopt;
    if (auto v = option_value(all_words, i, {"-n", "--namespace"})) change.namespaces.push_back(*v);
    else if (auto c = option_value(all_words, i, {"--context", "--kube-context"})) change.contexts.push_back(*c);
    else if (auto f = option_value(all_words, i, {"-f", "--filename", "-k", "--kustomize", "--values"}))
      change.paths.push_back(*f);
    else if (!word.starts_with("-")) positionals.push_back(word);
  }
  if (positionals.empty()) return std::nullopt;
  const std::string& verb = positionals[0];
  static const std::set<std::string, std::less<>> kKubectlVerbs = {"apply", "create", "replace", "patch", "delete",
                                                                     "edit",  "scale",  "set"};
  static const std::set<std::string, std::less<>> kHelmVerbs = {"install", "upgrade", "uninstall", "delete",
                                                                  "rollback"};
  if (kubectl) {
    change.deploys = verb == "apply" || verb == "create" || verb == "replace" || verb == "set";
    if (kKubectlVerbs.contains(verb)) change.command = fmt::format("{} {}", text::basename(tool), verb);
    else if (verb == "rollout" && positionals.size() > 1 && (positionals[1] == "restart" || positionals[1] == "undo"))
      change.command = fmt::format("{} rollout {}", text::basename(tool), positionals[1]);
    else return std::nullopt;
  } else {
    if (!kHelmVerbs.contains(verb)) return std::nullopt;
    change.command = fmt::format("helm {}", verb);
    change.deploys = verb == "install" || verb == "upgrade";
    // helm upgrade RELEASE CHART: a chart directory named for production counts as a path.
    if ((verb == "install" || verb == "upgrade") && positionals.size() > 2) change.paths.push_back(positionals[2]);
  }
  return change;
}

// Why the command changes production, from what it names; nullopt when it
// names nothing production, `non_production` set when it names something
// that is explicitly not.
std::optional<std::string> production_named(const ClusterChange& change, const kube::ProductionRules& rules,
                                            bool& non_production) {
  for (const auto& ns : change.namespaces) {
    if (rules.for_namespace(ns)) return fmt::format("namespace '{}'", ns);
    if (rules.non_production_for_namespace(ns)) non_production = true;
  }
  for (const auto& context : change.contexts) {
    if (rules.for_namespace(context)) return fmt::format("context '{}'", context);
    if (rules.non_production_for_namespace(context)) non_production = true;
  }
  for (const auto& path : change.paths) {
    std::string_view trimmed = path;
    while (trimmed.starts_with("./")) trimmed.remove_prefix(2);
    // for_path looks at directories: a trailing slash makes the last segment one.
    const std::string as_path = trimmed.ends_with('/') || trimmed.find('.') == std::string_view::npos
                                    ? fmt::format("{}/", trimmed)
                                    : std::string(trimmed);
    if (auto reason = rules.for_path(as_path)) return fmt::format("'{}': {}", path, *reason);
    if (rules.non_production_for_path(as_path)) non_production = true;
  }
  return std::nullopt;
}

std::string shorten(std::string_view command) {
  constexpr std::size_t kMax = 90;
  if (command.size() <= kMax) return std::string(command);
  return fmt::format("{}...", command.substr(0, kMax));
}

struct Hit {
  ClusterChange change;
  std::string line_text;
  int line = 0;
};

// Every cluster change in a script's text, with the line it is on (1-based in the text).
std::vector<Hit> changes_in(std::string_view script) {
  std::vector<Hit> hits;
  for (const auto& line : constable::ci::shell_lines(script))
    for (const auto& command : constable::ci::simple_commands(line.text))
      if (auto change = read_change(constable::ci::shell_words(command)))
        hits.push_back({std::move(*change), command, line.line});
  return hits;
}

// A pull request's review app ("review/feature-x", "preview", "pr-42").
bool review_environment(std::string_view environment) {
  const std::string lower = text::to_lower(environment);
  return lower.starts_with("review") || lower.starts_with("preview") || lower.starts_with("pr-") ||
         lower.starts_with("pr${") || lower.find("pull") != std::string::npos;
}

// A workflow that runs without a person starting it: on pushes, tags, releases, a schedule, or GitLab's pipeline.
bool runs_unattended(const constable::ci::Workflow& workflow) {
  if (workflow.provider == constable::ci::Provider::gitlab_ci) return true;
  for (const auto& trigger : workflow.triggers)
    // workflow_run is left out: it mostly follows a pull request's workflow (review apps).
    if (trigger == "push" || trigger == "release" || trigger == "schedule") return true;
  return false;
}

bool is_script_path(std::string_view path) { return path.ends_with(".sh") || path.ends_with(".bash"); }

class NoManualKubectlCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  // The sibling "ArgoCD or Flux MUST be used for continuous deployment": a
  // CI job that deploys to another environment with kubectl or helm breaks it.
  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 kContinuousDeployment(R"((?i)(argo ?cd|flux).*(continuous deployment|deploy))");
    cd_clause_ = nullptr;
    for (const constitution::Clause* clause : section)
      if (RE2::PartialMatch(clause->text, kContinuousDeployment)) {
        cd_clause_ = clause;
        break;
      }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    if (cd_clause_ == nullptr) return {};
    return {cd_clause_};
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const kube::ProductionRules rules(repo.config().production);
    const checks::ci::Pipeline& pipeline = checks::ci::load_pipeline(repo);
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs) check_job(workflow, job, rules, out);
    // Scripts are judged where they are; a script a job runs is judged
    // there too, with the job's environment, when its commands name no production.
    for (const auto& file : repo.workspace().files) {
      if (!is_script_path(file.path)) continue;
      const std::string* script = repo.text(file);
      if (script == nullptr) continue;
      const auto where = rules.for_path(file.path);
      for (const Hit& hit : changes_in(*script)) {
        bool non_production = false;
        auto reason = production_named(hit.change, rules, non_production);
        if (!reason && !non_production && where) reason = fmt::format("the script {}", *where);
        if (!reason) continue;
        out.report_at(file.path, hit.line,
                      fmt::format("`{}` changes production with {} instead of a commit the GitOps controller "
                                  "applies (production: {})",
                                  shorten(hit.line_text), hit.change.command, *reason));
      }
    }
  }

 private:
  void check_job(const constable::ci::Workflow& workflow, const constable::ci::Job& job,
                 const kube::ProductionRules& rules, engine::Emitter& out) const {
    if (checks::ci::classify(job).test(checks::ci::bit(checks::ci::Activity::local_cluster))) return;
    const bool production_job = !job.environment.empty() && rules.for_namespace(job.environment).has_value();
    // Continuous deployment: a job with a deployment environment (not a pull
    // request's review app) in a pipeline that runs on pushes, tags or a schedule.
    const bool continuous = cd_clause_ != nullptr && !job.environment.empty() && !review_environment(job.environment) &&
                            runs_unattended(workflow) && job.condition.find("pull_request") == std::string::npos;
    auto judge = [&](const constable::ci::Step& step, const std::string& invoked) {
      for (const Hit& hit : changes_in(step.run)) {
        bool non_production = false;
        auto reason = production_named(hit.change, rules, non_production);
        // A script's own production commands are reported in the script.
        if (reason && !invoked.empty() && is_script_path(invoked)) continue;
        if (!reason && !non_production && production_job)
          reason = fmt::format("job '{}' deploys to environment '{}'", job.id, job.environment);
        if (!reason) {
          if (continuous && hit.change.deploys)
            out.emit({.range = SourceRange::at_line(step.line),
                      .message = fmt::format("`{}`{} deploys to environment '{}' with {} from CI job '{}': continuous "
                                             "deployment goes through Argo CD or Flux",
                                             shorten(hit.line_text),
                                             invoked.empty() ? "" : fmt::format(" (in {})", invoked), job.environment,
                                             hit.change.command, job.id),
                      .path_override = workflow.path,
                      .clause = cd_clause_});
          continue;
        }
        out.report_at(workflow.path, step.line,
                      fmt::format("`{}`{} changes production with {} from CI job '{}' instead of a commit the "
                                  "GitOps controller applies (production: {})",
                                  shorten(hit.line_text), invoked.empty() ? "" : fmt::format(" (in {})", invoked),
                                  hit.change.command, job.id, *reason));
      }
    };
    for (const auto& step : job.steps) {
      judge(step, "");
      for (const auto& called : step.expansion) judge(called, called.name);
    }
  }

  const constitution::Clause* cd_clause_ = nullptr;
};

}  // namespace no_manual_kubectl_check
}  // namespace

std::unique_ptr<engine::Check> make_no_manual_kubectl_check() {
  return engine::make_check<no_manual_kubectl_check::NoManualKubectlCheck>();
}

}  // namespace constable::checks::gitops
