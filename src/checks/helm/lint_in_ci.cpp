// helm/lint-in-ci: when the repository has charts, its CI runs `helm lint`
// (or chart-testing's `ct lint`).

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <re2/re2.h>

#include <map>
#include <set>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"
#include "core/text.hpp"
#include "workspace/glob.hpp"

namespace constable::checks::helm {

namespace {
namespace lint_in_ci_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/lint-in-ci",
    .domain = "helm",
    .nature = Nature::reliability,
    .summary = "Run helm lint (or ct lint) on the charts in CI",
    .rationale = "`helm lint` catches malformed templates, missing values and invalid Chart.yaml before a "
                 "release fails in a cluster; run on every change it keeps the charts installable. The check "
                 "reads the CI configuration as text: GitHub Actions workflows, .gitlab-ci.yml and "
                 ".gitlab/ci files, Jenkinsfiles, Azure Pipelines, CircleCI, Bitbucket Pipelines, Drone, "
                 "Travis, Buildkite and Cloud Build files. A `make <target>` there is followed into the root "
                 "Makefile (prerequisites included) and a `path/script.sh` into the script. It does not know "
                 "whether a step is conditional or disabled.",
    .remediation = "Add a CI step that lints every chart, e.g. `helm lint charts/*` or chart-testing's "
                   "`ct lint --all` (helm/chart-testing-action on GitHub Actions).",
    .bad_example = "# .github/workflows/ci.yml\njobs:\n  build:\n    steps:\n      - run: make test\n",
    .good_example = "# .github/workflows/ci.yml\njobs:\n  charts:\n    steps:\n      - run: helm lint charts/*\n",
    .parameters = "",
    .clause = {.section = "helm|chart", .text = R"(helm lint|lint.*charts?)"},
    .file_kind = FileKind::other,
    .stack = "helm",
    .scope = engine::Scope::repository,
};

bool is_ci_file(std::string_view path) {
  static const std::vector<std::string_view> kGlobs = {
      "/.github/workflows/*.yml", "/.github/workflows/*.yaml", "/.gitlab-ci.yml",  "/.gitlab-ci.yaml",
      "/.gitlab/**/*.yml",        "/.gitlab/**/*.yaml",        "Jenkinsfile",      "Jenkinsfile.*",
      "*.jenkinsfile",            "/azure-pipelines*.yml",     "/azure-pipelines*.yaml", "/.azure-pipelines/**",
      "/.circleci/config.yml",    "/bitbucket-pipelines.yml",  "/.drone.yml",      "/.travis.yml",
      "/.buildkite/**",           "/cloudbuild.yaml",          "/cloudbuild.yml"};
  for (const auto glob : kGlobs)
    if (workspace::glob_matches(glob, path)) return true;
  return false;
}

bool runs_lint(std::string_view text) {
  static const RE2 kLint(R"((?:\bhelm|\$\(HELM\)|\$\{HELM\}|\bct)\s+lint\b)");
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), kLint);
}

// A Makefile's rules: target -> (prerequisites, recipe text).
struct Rule {
  std::vector<std::string> prerequisites;
  std::string recipe;
};
struct Makefile {
  std::map<std::string, Rule> rules;
  std::string default_goal;
};

Makefile parse_makefile(std::string_view content) {
  static const RE2 kRule(R"(^([A-Za-z0-9_./%-]+(?:[ \t]+[A-Za-z0-9_./%-]+)*)[ \t]*::?(?:[^=]|$)(.*)$)");
  Makefile out;
  std::vector<std::string> current;
  for (std::string_view line : text::split_lines(content)) {
    if (line.starts_with('\t')) {
      for (const auto& target : current) out.rules[target].recipe += std::string(line) + "\n";
      continue;
    }
    current.clear();
    std::string targets, rest;
    if (!RE2::FullMatch(re2::StringPiece(line.data(), line.size()), kRule, &targets, &rest)) continue;
    std::vector<std::string> prerequisites;
    const std::string_view prereq_text = std::string_view(rest).substr(0, rest.find_first_of(";#"));
    for (std::string_view p : text::split(prereq_text, ' '))
      if (!text::trim(p).empty()) prerequisites.emplace_back(text::trim(p));
    for (std::string_view t : text::split(targets, ' ')) {
      t = text::trim(t);
      if (t.empty() || t.starts_with('.')) continue;  // .PHONY and friends
      if (out.default_goal.empty() && t.find('%') == std::string_view::npos) out.default_goal = std::string(t);
      auto& rule = out.rules[std::string(t)];
      rule.prerequisites.insert(rule.prerequisites.end(), prerequisites.begin(), prerequisites.end());
      current.emplace_back(t);
    }
  }
  return out;
}

// Does running `goals` of the Makefile run a lint, prerequisites included?
bool make_goals_lint(const Makefile& makefile, std::vector<std::string> goals) {
  std::set<std::string> seen;
  while (!goals.empty()) {
    const std::string goal = std::move(goals.back());
    goals.pop_back();
    if (!seen.insert(goal).second) continue;
    const auto it = makefile.rules.find(goal);
    if (it == makefile.rules.end()) continue;
    if (runs_lint(it->second.recipe)) return true;
    goals.insert(goals.end(), it->second.prerequisites.begin(), it->second.prerequisites.end());
  }
  return false;
}

class LintInCiCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const auto charts = find_charts(repo.workspace());
    if (charts.empty()) return;
    std::vector<std::string> ci_files;
    for (const auto& file : repo.workspace().files) {
      if (!is_ci_file(file.path)) continue;
      ci_files.push_back(file.path);
      const std::string* content = read_text(repo, file);
      if (content != nullptr && (runs_lint(*content) || follows_to_lint(repo, *content))) return;
    }
    const auto metadata = load_metadata(repo, charts.front());
    out.emit({.range = chart_anchor(metadata ? &metadata->yaml : nullptr),
              .message = ci_files.empty()
                             ? std::string("the repository has Helm charts but no CI configuration to run helm lint")
                             : fmt::format("no CI configuration runs helm lint or ct lint on the charts (read: {})",
                                           fmt::join(ci_files, ", ")),
              .path_override = charts.front().chart_file->path});
  }

 private:
  // `make <goals>` into the root Makefile, `path/to/script.sh` into the script.
  static bool follows_to_lint(const engine::RepositoryContext& repo, std::string_view ci) {
    static const RE2 kMake(R"(\bmake\b((?:[ \t]+[A-Za-z0-9_./-]+)*))");
    static const RE2 kScript(R"(([A-Za-z0-9_./-]+\.sh)\b)");
    std::optional<Makefile> makefile;
    for (std::string_view name : {"Makefile", "GNUmakefile", "makefile"}) {
      if (const workspace::File* file = find_file(repo.workspace(), name)) {
        if (const std::string* content = read_text(repo, *file)) makefile = parse_makefile(*content);
        break;
      }
    }
    re2::StringPiece input(ci.data(), ci.size());
    std::string words;
    while (makefile && RE2::FindAndConsume(&input, kMake, &words)) {
      std::vector<std::string> goals;
      for (std::string_view w : text::split(words, ' '))
        if (!text::trim(w).empty() && !text::trim(w).starts_with('-')) goals.emplace_back(text::trim(w));
      if (goals.empty() && !makefile->default_goal.empty()) goals.push_back(makefile->default_goal);
      if (make_goals_lint(*makefile, std::move(goals))) return true;
    }
    input = re2::StringPiece(ci.data(), ci.size());
    std::string script;
    while (RE2::FindAndConsume(&input, kScript, &script)) {
      std::string_view path = script;
      while (path.starts_with("./")) path.remove_prefix(2);
      const workspace::File* file = find_file(repo.workspace(), path);
      if (file == nullptr) continue;
      if (const std::string* content = read_text(repo, *file); content != nullptr && runs_lint(*content)) return true;
    }
    return false;
  }
};

}  // namespace lint_in_ci_check
}  // namespace

std::unique_ptr<engine::Check> make_lint_in_ci_check() { return engine::make_check<lint_in_ci_check::LintInCiCheck>(); }

}  // namespace constable::checks::helm
