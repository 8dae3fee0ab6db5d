// gitops/deployment-spec: "Deployment specs MUST declare: target
// environments and their differences, resource requirements and scaling
// policies, health check configurations, rollout strategies and rollback
// conditions, monitoring and alerting rules". The items are read from the
// section's list; each is looked for across the repository's deployment
// specification (manifests, chart templates and values, CI).

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <array>
#include <bitset>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checks/ci/ci_support.hpp"
#include "checks/gitops/gitops_checks.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"
#include "kube/production.hpp"

namespace constable::checks::gitops {

namespace {
namespace deployment_spec_check {

constexpr engine::CheckInfo kInfo{
    .id = "gitops/deployment-spec",
    .domain = "gitops",
    .nature = Nature::reliability,
    .summary = "Declare environments, resources and scaling, health checks, rollout and rollback, and alerting in "
               "the deployment specification",
    .rationale =
        "What the deployment specification leaves out is decided at deploy time by whoever runs it, differently "
        "each time. Applies to repositories that declare workloads for Kubernetes (Deployment, StatefulSet, "
        "DaemonSet or Argo Rollout in a manifest or chart template) and deploy them themselves: an Argo CD "
        "Application or Flux object, a skaffold configuration, kustomize overlays per environment, or a CI job that "
        "deploys to a cluster that is not a throwaway one (a repository of charts or install manifests for "
        "others is not asked); the items are the constitution's list. "
        "Recognised in YAML files and chart templates: environments by two or more named environments "
        "(values-<env>.yaml files, kustomize overlays under directories named for an environment); resources by "
        "requests or limits, scaling by a HorizontalPodAutoscaler, KEDA ScaledObject or VerticalPodAutoscaler; "
        "health checks by a liveness, readiness or startup probe; rollout strategies by a Deployment strategy or "
        "a Rollout's canary or blueGreen, rollback conditions by progressDeadlineSeconds, an Argo Rollouts "
        "analysis, a Flagger Canary, a Flux HelmRelease's remediation or `helm upgrade --atomic` "
        "(--rollback-on-failure) in CI; monitoring by a ServiceMonitor, PodMonitor or prometheus.io/scrape "
        "annotation, alerting by a PrometheusRule or a rules file with `alert:` rules. Each missing item is one "
        "finding, under its own clause, at the chart of the first workload (or the first workload's file).",
    .remediation =
        "Add what is missing beside the workloads: values-<env>.yaml (or overlays) per environment, resources "
        "and a HorizontalPodAutoscaler, probes, a rollout strategy with progressDeadlineSeconds (or an Argo "
        "Rollouts analysis), and a ServiceMonitor with a PrometheusRule for the service's alerts.",
    .bad_example = "deploy/deployment.yaml  # a Deployment with no probes, no autoscaler, no alerts\n",
    .good_example = "charts/web/values-staging.yaml\ncharts/web/values-prod.yaml\ncharts/web/templates/hpa.yaml\n"
                    "charts/web/templates/servicemonitor.yaml\ncharts/web/templates/prometheusrule.yaml\n",
    .parameters = "the items to declare, from the section's list",
    .clause = {.section = "spec-driven deployment|deployment specifications?", .text = "deployment specs? (must|shall) declare"},
    .file_kind = FileKind::other,
    .stack = "kubernetes",
    .scope = engine::Scope::repository,
};

enum class Item : std::uint8_t { environments, resources_scaling, health_checks, rollout_rollback, monitoring_alerting };

std::optional<Item> item_of(std::string_view text) {
  const std::string lower = text::to_lower(text);
  if (lower.find("environment") != std::string::npos) return Item::environments;
  if (lower.find("resource") != std::string::npos || lower.find("scaling") != std::string::npos)
    return Item::resources_scaling;
  if (lower.find("health") != std::string::npos || lower.find("probe") != std::string::npos) return Item::health_checks;
  if (lower.find("rollout") != std::string::npos || lower.find("rollback") != std::string::npos)
    return Item::rollout_rollback;
  if (lower.find("monitoring") != std::string::npos || lower.find("alert") != std::string::npos)
    return Item::monitoring_alerting;
  return std::nullopt;
}

// What the repository's deployment specification shows, from its YAML files and chart templates.
struct Evidence {
  std::set<std::string> environments;
  bool resources = false, scaling = false, probes = false, strategy = false, rollback = false;
  bool monitoring = false, alerting = false;
  std::string anchor;  // the chart of the first workload template, else the first workload's file
  bool gitops = false;  // an Argo CD Application or a Flux Kustomization/HelmRelease
  bool skaffold = false;
  bool overlays = false;  // kustomize overlays named for environments
};

bool is_workload_kind(std::string_view kind) {
  return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "Rollout";
}

// Whether the file declares a workload of its own: a document whose kind is
// one (not a patch target or a policy's match naming the kind).
bool declares_workload(const engine::RepositoryContext& repo, const workspace::File& file, std::string_view text) {
  if (file.kind == FileKind::helm_template) {
    static const RE2 kTopLevelKind(R"((?m)^kind:\s*["']?(Deployment|StatefulSet|DaemonSet|Rollout)["']?\s*$)");
    return RE2::PartialMatch(text, kTopLevelKind);
  }
  const yaml::Stream* stream = repo.yaml(file);
  if (stream == nullptr) return false;
  for (const auto& document : stream->documents) {
    const yaml::Node* root = document.root;
    if (root != nullptr && root->is_mapping() && root->get("apiVersion") != nullptr && root->get("kind") != nullptr &&
        is_workload_kind(root->get("kind")->str()))
      return true;
  }
  return false;
}

// What one file's text shows, one bit per pattern below, found in one
// RE2::Set pass: nine separate searches over every YAML file and chart
// template were the check's cost on chart repositories.
enum Sign : std::uint8_t { kResources, kScaling, kProbe, kStrategy, kRollback, kMonitoring, kAlerting, kGitopsApi, kGitopsKind, kSigns };

constexpr std::array<std::string_view, kSigns> kSignPatterns = {
    R"((?m)^\s*(requests|limits):)",
    R"((?m)^\s*kind:\s*["']?(HorizontalPodAutoscaler|ScaledObject|VerticalPodAutoscaler)\b)",
    R"((?m)^\s*(livenessProbe|readinessProbe|startupProbe):)",
    R"((?m)^\s*(strategy|updateStrategy):|^\s*(canary|blueGreen):)",
    R"((?m)^\s*(progressDeadlineSeconds|prePromotionAnalysis|postPromotionAnalysis|analysis|remediation|rollback):|)"
    R"(^\s*kind:\s*["']?(Canary|AnalysisTemplate|ClusterAnalysisTemplate)\b)",
    R"((?m)^\s*kind:\s*["']?(ServiceMonitor|PodMonitor|PodMonitoring)\b|prometheus\.io/scrape)",
    R"((?m)^\s*kind:\s*["']?PrometheusRule\b|^\s*-?\s*alert:\s*\S)",
    // A top-level object, not a CustomResourceDefinition naming the kind.
    R"((?m)^apiVersion:\s*["']?(argoproj\.io|helm\.toolkit\.fluxcd\.io|kustomize\.toolkit\.fluxcd\.io)/)",
    R"((?m)^kind:\s*["']?(Application|ApplicationSet|HelmRelease|Kustomization)["']?\s*$)",
};

struct SignPatterns {
  RE2::Set set{RE2::Options(), RE2::UNANCHORED};
  std::vector<std::unique_ptr<RE2>> one_by_one;  // when the set's DFA runs out of memory on a text
  bool compiled = false;

  SignPatterns() {
    bool added = true;
    for (const std::string_view pattern : kSignPatterns) {
      added = added && set.Add(pattern, nullptr) >= 0;
      one_by_one.push_back(std::make_unique<RE2>(pattern));
    }
    compiled = added && set.Compile();
  }
};

const SignPatterns& sign_patterns() {
  static const SignPatterns patterns;
  return patterns;
}

std::bitset<kSigns> signs_in(std::string_view text) {
  const SignPatterns& patterns = sign_patterns();
  std::bitset<kSigns> out;
  std::vector<int> matched;
  RE2::Set::ErrorInfo error{};
  if (patterns.compiled && (patterns.set.Match(text, &matched, &error) || error.kind == RE2::Set::kNoError)) {
    for (const int i : matched) out.set(static_cast<std::size_t>(i));
    return out;
  }
  for (std::size_t i = 0; i < kSigns; ++i)
    if (RE2::PartialMatch(text, *patterns.one_by_one[i])) out.set(i);
  return out;
}

// An Argo CD or Flux object (both of its gitops signs), asked of every file
// before the full pass: most repositories have none, and a literal finds that.
bool declares_gitops_object(std::string_view text) {
  static const text::Literals kGroups{"argoproj.io", "toolkit.fluxcd.io"};
  if (!kGroups.any_in(text)) return false;
  const SignPatterns& patterns = sign_patterns();
  return RE2::PartialMatch(text, *patterns.one_by_one[kGitopsApi]) &&
         RE2::PartialMatch(text, *patterns.one_by_one[kGitopsKind]);
}

void scan_text(std::string_view text, Evidence& e) {
  const std::bitset<kSigns> signs = signs_in(text);
  e.resources = e.resources || signs[kResources];
  e.scaling = e.scaling || signs[kScaling];
  e.probes = e.probes || signs[kProbe];
  e.strategy = e.strategy || signs[kStrategy];
  e.rollback = e.rollback || signs[kRollback];
  e.monitoring = e.monitoring || signs[kMonitoring];
  e.alerting = e.alerting || signs[kAlerting];
}

// Where the findings go: the chart of the first workload template, else the first workload's file.
std::string anchor_for(const workspace::File& file) {
  if (file.kind == FileKind::helm_template) {
    const auto templates = file.path.rfind("/templates/");
    if (templates != std::string::npos) return file.path.substr(0, templates) + "/Chart.yaml";
  }
  return file.path;
}

// "prod", "staging", "dev": a word that names an environment (values-ascii-check.yaml names none).
bool is_environment_word(std::string_view word) {
  if (word.empty()) return false;
  if (word == "prod" || word == "production" || word == "live" || word == "preprod" || word == "pre-prod") return true;
  for (std::string_view known : kube::non_production_words())
    if (word == known) return true;
  return false;
}

// An environment a path names: values-prod.yaml -> prod; overlays/staging/kustomization.yaml -> staging.
void environment_of(std::string_view path, Evidence& e) {
  if (const std::string env = kube::ProductionRules::values_environment(path); is_environment_word(env)) {
    e.environments.insert(env);
    return;
  }
  const std::string_view name = text::basename(path);
  if (name != "kustomization.yaml" && name != "kustomization.yml") return;
  static const RE2 kEnvironment(
      R"((?:^|/)(dev|development|test|qa|uat|staging|stage|preprod|pre-prod|prod|production|live)/kustomization\.ya?ml$)");
  std::string env;
  if (RE2::PartialMatch(path, kEnvironment, &env)) {
    e.environments.insert(env);
    e.overlays = true;
  }
}

class DeploymentSpecCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    items_.clear();
    for (const constitution::Clause* clause : section)
      if (clause->modality_inherited && !clause->lead_in.empty())
        if (auto item = item_of(clause->text)) items_.push_back({*item, clause});
    if (items_.empty())
      return fail("the clause lists nothing a deployment specification must declare (expected e.g. \"- Health "
                  "check configurations\")");
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    std::vector<const constitution::Clause*> out;
    for (const auto& [item, clause] : items_) out.push_back(clause);
    return out;
  }

  std::string bound_parameters() const override {
    std::vector<std::string> names;
    for (const auto& [item, clause] : items_) names.push_back(clause->text);
    return fmt::format("declares: {}", fmt::join(names, "; "));
  }

  ReadAhead read_ahead(const workspace::Workspace&) const override {
    return {.texts = {FileKind::yaml, FileKind::helm_template}, .yaml = {}};
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    Evidence e;
    const auto deployment_files = [&](auto&& each) {
      for (const auto& file : repo.workspace().files)
        if (file.kind == FileKind::yaml || file.kind == FileKind::helm_template)
          if (const std::string* text = repo.text(file)) each(file, *text);
    };
    // First what decides whether the repository is asked at all (the full
    // pass over every text, below, is the check's cost).
    for (const auto& file : repo.workspace().files) {
      if (file.kind != FileKind::yaml && file.kind != FileKind::helm_template) continue;
      environment_of(file.path, e);
      const std::string_view base = text::basename(file.path);
      if (base == "skaffold.yaml" || base == "skaffold.yml") e.skaffold = true;
    }
    deployment_files([&](const workspace::File& file, const std::string& text) {
      e.gitops = e.gitops || declares_gitops_object(text);
      if (e.anchor.empty() && declares_workload(repo, file, text)) e.anchor = anchor_for(file);
    });
    if (e.anchor.empty()) return;  // no workload: nothing is deployed that needs these
    const ci::Pipeline& pipeline = ci::load_pipeline(repo);
    // A repository that publishes charts or install manifests for others to
    // deploy leaves environments, scaling and alerting to them: only one
    // that deploys its workloads itself (a GitOps object, a skaffold
    // configuration, environments of its own, a CI job that deploys to a
    // real cluster) is asked.
    const bool deploys_itself =
        e.gitops || e.skaffold || e.overlays || deploys_from_ci(pipeline);
    if (!deploys_itself) return;
    deployment_files([&](const workspace::File&, const std::string& text) { scan_text(text, e); });
    if (!e.rollback) e.rollback = helm_atomic_in_ci(pipeline);
    for (const auto& [item, clause] : items_) {
      std::string missing;
      switch (item) {
        case Item::environments:
          if (e.environments.size() < 2)
            missing = e.environments.empty()
                          ? "no target environments (no values-<env>.yaml, no overlay per environment)"
                          : fmt::format("one target environment only ('{}'): nothing says how the others differ",
                                        *e.environments.begin());
          break;
        case Item::resources_scaling:
          if (!e.resources && !e.scaling) missing = "no resource requests or limits and no scaling policy";
          else if (!e.resources) missing = "no resource requests or limits";
          else if (!e.scaling) missing = "no scaling policy (HorizontalPodAutoscaler, KEDA ScaledObject or VerticalPodAutoscaler)";
          break;
        case Item::health_checks:
          if (!e.probes) missing = "no health checks (liveness, readiness or startup probes)";
          break;
        case Item::rollout_rollback:
          if (!e.strategy && !e.rollback) missing = "no rollout strategy and no rollback condition";
          else if (!e.rollback)
            missing = "no rollback condition (progressDeadlineSeconds, an Argo Rollouts analysis, a Flagger Canary, "
                      "a HelmRelease remediation or helm --atomic)";
          break;
        case Item::monitoring_alerting:
          if (!e.monitoring && !e.alerting) missing = "no monitoring (ServiceMonitor, PodMonitor, scrape annotations) and no alerting rules";
          else if (!e.alerting) missing = "no alerting rules (PrometheusRule or `alert:` rules)";
          break;
      }
      if (missing.empty()) continue;
      out.report_at(e.anchor, 0, fmt::format("the deployment specification declares {}", missing), clause);
    }
  }

 private:
  // `helm upgrade --atomic` (or --rollback-on-failure) in CI rolls a failed release back.
  // A job that deploys to Kubernetes (kubectl, helm, skaffold, ...), not to a throwaway cluster.
  static bool deploys_from_ci(const ci::Pipeline& pipeline) {
    static const RE2 kKubernetesTool(R"((?i)kubectl|helm|skaffold|kustomize|kapp|timoni|k8s-deploy|argocd|flux)");
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs) {
        if (ci::classify(job).test(ci::bit(ci::Activity::local_cluster))) continue;
        for (const auto& step : job.steps)
          if (ci::classify(step, job).test(ci::bit(ci::Activity::deploy)) &&
              RE2::PartialMatch(ci::evidence(step, ci::Activity::deploy), kKubernetesTool))
            return true;
      }
    return false;
  }

  static bool helm_atomic_in_ci(const ci::Pipeline& pipeline) {
    static const RE2 kAtomic(R"(\bhelm\s+(upgrade|install)\b[^\n]*--(atomic|rollback-on-failure)\b)");
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs)
        for (const auto& step : job.steps) {
          if (RE2::PartialMatch(step.run, kAtomic)) return true;
          for (const auto& called : step.expansion)
            if (RE2::PartialMatch(called.run, kAtomic)) return true;
        }
    return false;
  }

  struct Bound {
    Item item;
    const constitution::Clause* clause;
  };
  std::vector<Bound> items_;
};

}  // namespace deployment_spec_check
}  // namespace

std::unique_ptr<engine::Check> make_deployment_spec_check() {
  return engine::make_check<deployment_spec_check::DeploymentSpecCheck>();
}

}  // namespace constable::checks::gitops
