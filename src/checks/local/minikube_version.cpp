// local/minikube-version: "Minikube MUST mirror production Kubernetes version
// (±1 minor version)", with its sibling "Required addons MUST be specified in
// setup scripts". The setup scripts that start Minikube pin a Kubernetes
// version within the clause's tolerance of the one the infrastructure code
// gives production, and enable the addons the manifests rely on.

#include <fmt/format.h>
#include <re2/re2.h>

#include <cstdlib>

#include "checks/local/local_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::local {

namespace {
namespace minikube_version_check {

constexpr engine::CheckInfo kInfo{
    .id = "local/minikube-version",
    .domain = "local",
    .nature = Nature::reliability,
    .summary = "Start Minikube with production's Kubernetes version and the addons the manifests need",
    .rationale =
        "A local cluster on another Kubernetes version accepts manifests production rejects (removed APIs) "
        "and hides behaviour production has; a cluster without the ingress or metrics-server addon silently "
        "ignores the Ingress and HorizontalPodAutoscaler objects being developed. Setup scripts: shell "
        "scripts, Makefiles, justfiles, Taskfiles and files under scripts/ running `minikube start` (continued "
        "lines joined). Production's version: Terraform `cluster_version`, `kubernetes_version`, "
        "`min_master_version` or `orchestrator_version` (EKS, AKS, GKE modules and resources), an `aws_eks_cluster` resource's `version`, an `aws_eks_cluster`'s `version` and eksctl "
        "ClusterConfig `metadata.version`; without one the version is not judged. Addons: `ingress` where "
        "plain manifests (not chart templates, not production overlays) define an Ingress, `metrics-server` "
        "where they define a HorizontalPodAutoscaler, enabled by `minikube addons enable` or `--addons`.",
    .remediation = "Pin the version in the setup script (`minikube start --kubernetes-version=v1.29.4`) to the "
                   "minor version production runs, and enable the addons after it (`minikube addons enable "
                   "ingress`, `minikube addons enable metrics-server`).",
    .bad_example = "infra/eks.tf:       cluster_version = \"1.29\"\nscripts/dev-up.sh:  minikube start --cpus=4\n",
    .good_example = "infra/eks.tf:       cluster_version = \"1.29\"\n"
                    "scripts/dev-up.sh:  minikube start --kubernetes-version=v1.29.4 --addons=ingress\n",
    .parameters = "the tolerance in minor versions (\"±1 minor version\"); the sibling clause on addons",
    .clause = {.section = "minikube|local environment", .text = R"(kubernetes version|minikube[^.]*version)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

bool is_setup_script(std::string_view path) {
  const std::string lower = text::to_lower(path);
  const std::string_view name = text::basename(lower);
  return lower.ends_with(".sh") || lower.ends_with(".bash") || lower.ends_with(".mk") || name == "makefile" ||
         name == "gnumakefile" || name == "justfile" || name.starts_with("taskfile") || lower.starts_with("scripts/") ||
         lower.find("/scripts/") != std::string::npos;
}

// deploy/overlays/prod/, k8s/production/, env/prod-eu/.
bool in_production_directory(std::string_view path) {
  for (const std::string_view segment : text::split(text::dirname(path), '/')) {
    const std::string lower = text::to_lower(segment);
    if (lower == "prod" || lower == "production" || lower.starts_with("prod-") || lower.starts_with("prod_") ||
        lower.ends_with("-prod") || lower.ends_with("_prod"))
      return true;
  }
  return false;
}

struct Start {
  std::string path;
  int line = 0;
  std::string command;  // continued lines joined
};

struct Version {
  int major = 0;
  int minor = 0;
  std::string where;  // "infra/eks.tf:12"
};

class MinikubeVersionCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    static const RE2 kTolerance(R"((?i)(?:±|\+/-|\+-|within)\s*(\d+)\s*minor)");
    int tolerance = 0;
    tolerance_ = RE2::PartialMatch(clause.text, kTolerance, &tolerance) ? tolerance : 0;
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 kAddons(R"((?i)\baddons?\b)");
    addons_ = nullptr;
    for (const constitution::Clause* clause : section)
      if (RE2::PartialMatch(clause->text, kAddons)) {
        addons_ = clause;
        break;
      }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    if (addons_ == nullptr) return {};
    return {addons_};
  }

  std::string bound_parameters() const override {
    return fmt::format("within {} minor version{} of production{}", tolerance_, tolerance_ == 1 ? "" : "s",
                       addons_ != nullptr ? "; required addons" : "");
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    std::vector<Start> starts;
    std::string setup_text;  // every setup script, for the addons they enable
    for (const workspace::File& file : repo.workspace().files) {
      if (!is_setup_script(file.path) || file.size > 1024 * 1024) continue;
      const std::string* content = repo.text(file);
      if (content == nullptr || !text::contains(*content, "minikube")) continue;
      setup_text += *content;
      setup_text += '\n';
      const auto lines = text::split_lines(*content);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        if (text::trim(lines[i]).starts_with('#')) continue;
        static const RE2 kStart(R"(\bminikube\s+start\b)");
        if (!RE2::PartialMatch(lines[i], kStart)) continue;
        Start start{file.path, static_cast<int>(i) + 1, std::string(lines[i])};
        for (std::size_t j = i; j + 1 < lines.size() && text::trim(lines[j]).ends_with('\\'); ++j)
          start.command += " " + std::string(lines[j + 1]);
        starts.push_back(std::move(start));
      }
    }
    if (starts.empty()) return;
    const std::optional<Version> production = production_version(repo);
    if (production) {
      static const RE2 kPinned(R"(--kubernetes-version(?:=|\s+)["']?v?(\d+)\.(\d+))");
      static const RE2 kFlag(R"(--kubernetes-version\b)");
      for (const Start& start : starts) {
        int major = 0, minor = 0;
        if (RE2::PartialMatch(start.command, kPinned, &major, &minor)) {
          const int skew = major == production->major ? std::abs(minor - production->minor) : 100;
          if (skew > tolerance_)
            out.report_at(start.path, start.line,
                          fmt::format("Minikube runs Kubernetes {}.{} but production runs {}.{} ({}), more than {} "
                                      "minor version{} apart",
                                      major, minor, production->major, production->minor, production->where,
                                      tolerance_, tolerance_ == 1 ? "" : "s"));
        } else if (!RE2::PartialMatch(start.command, kFlag) || text::contains(start.command, "stable") ||
                   text::contains(start.command, "latest")) {
          out.report_at(start.path, start.line,
                        fmt::format("`minikube start` does not pin --kubernetes-version, so Minikube runs its own "
                                    "default rather than production's {}.{} ({})",
                                    production->major, production->minor, production->where));
        }
      }
    }
    if (addons_ == nullptr) return;
    for (const auto& [addon, why] : required_addons(repo)) {
      const RE2 enabled(fmt::format(R"((addons\s+enable\s+{0}\b|--addons(?:=|\s+)\S*\b{0}\b))", addon));
      if (RE2::PartialMatch(setup_text, enabled)) continue;
      out.emit({.range = SourceRange::at_line(starts.front().line),
                .message = fmt::format("the setup scripts start Minikube without enabling the {} addon, which {} "
                                       "need",
                                       addon, why),
                .path_override = starts.front().path,
                .clause = addons_});
    }
  }

 private:
  // An `aws_eks_cluster` resource names its version `version`, a word too
  // common to look for anywhere else (provider constraints, modules): it is
  // read inside the resource's block only, up to the block's closing brace
  // at the start of a line. `input` is left after the version.
  static bool eks_cluster_version(std::string_view content, re2::StringPiece& input, int& major, int& minor) {
    static const RE2 kResource(R"re((?m)^resource\s+"aws_eks_cluster"\s+"[^"]*"\s*\{)re");
    static const RE2 kVersion(R"re((?m)^\s*version\s*=\s*"v?(\d+)\.(\d+))re");
    re2::StringPiece rest(content.data(), content.size());
    while (RE2::FindAndConsume(&rest, kResource)) {
      const std::size_t start = static_cast<std::size_t>(rest.data() - content.data());
      std::size_t end = content.find("\n}", start);
      if (end == std::string_view::npos) end = content.size();
      re2::StringPiece block(content.data() + start, end - start);
      if (RE2::FindAndConsume(&block, kVersion, &major, &minor)) {
        input = re2::StringPiece(block.data(), static_cast<std::size_t>(content.data() + content.size() - block.data()));
        return true;
      }
    }
    return false;
  }

  static std::optional<Version> production_version(const engine::RepositoryContext& repo) {
    static const RE2 kTerraform(
        R"re((?m)^\s*(?:cluster_version|kubernetes_version|min_master_version|orchestrator_version)\s*=\s*"v?(\d+)\.(\d+))re");
    static const RE2 kEksctl(R"re((?m)^\s+version:\s*["']?(\d+)\.(\d+))re");
    for (const workspace::File& file : repo.workspace().files) {
      const bool terraform = file.path.ends_with(".tf") || file.path.ends_with(".tfvars");
      const bool yaml = file.kind == FileKind::yaml;
      if ((!terraform && !yaml) || file.size > 1024 * 1024) continue;
      const std::string* content = repo.text(file);
      if (content == nullptr) continue;
      if (yaml && !text::contains(*content, "kind: ClusterConfig")) continue;
      re2::StringPiece input(content->data(), content->size());
      int major = 0, minor = 0;
      const re2::StringPiece before = input;
      if (RE2::FindAndConsume(&input, terraform ? kTerraform : kEksctl, &major, &minor) ||
          (terraform && eks_cluster_version(*content, input, major, minor))) {
        int line = 1;
        for (const char* c = before.data(); c < input.data(); ++c)
          if (*c == '\n') ++line;
        return Version{major, minor, fmt::format("{}:{}", file.path, line)};
      }
    }
    return std::nullopt;
  }

  // Addons the plain manifests rely on: (addon, what needs it).
  static std::vector<std::pair<std::string, std::string>> required_addons(const engine::RepositoryContext& repo) {
    static const RE2 kIngress(R"((?m)^kind:\s*Ingress\s*$)");
    static const RE2 kAutoscaler(R"((?m)^kind:\s*HorizontalPodAutoscaler\s*$)");
    std::string ingress, autoscaler;
    for (const workspace::File& file : repo.workspace().files) {
      if (file.kind != FileKind::yaml || file.size > 1024 * 1024) continue;
      if (in_production_directory(file.path)) continue;  // production overlays are not deployed locally
      const std::string* content = repo.text(file);
      if (content == nullptr || !text::contains(*content, "kind:")) continue;
      if (ingress.empty() && RE2::PartialMatch(*content, kIngress)) ingress = file.path;
      if (autoscaler.empty() && RE2::PartialMatch(*content, kAutoscaler)) autoscaler = file.path;
    }
    std::vector<std::pair<std::string, std::string>> out;
    if (!ingress.empty()) out.emplace_back("ingress", fmt::format("the Ingress objects ({})", ingress));
    if (!autoscaler.empty())
      out.emplace_back("metrics-server", fmt::format("the HorizontalPodAutoscalers ({})", autoscaler));
    return out;
  }

  int tolerance_ = 1;
  const constitution::Clause* addons_ = nullptr;
};

}  // namespace minikube_version_check
}  // namespace

std::unique_ptr<engine::Check> make_minikube_version_check() {
  return engine::make_check<minikube_version_check::MinikubeVersionCheck>();
}

}  // namespace constable::checks::local
