// workflow/hotfix-process: hotfix branches are cut from a production tag,
// and a hotfix workflow deploys only after its tests pass.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/ci/ci_support.hpp"
#include "checks/workflow/workflow_checks.hpp"
#include "checks/workflow/workflow_support.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::workflow {

namespace {
namespace hotfix_process_check {

namespace ci = constable::checks::ci;

constexpr engine::CheckInfo kInfo{
    .id = "workflow/hotfix-process",
    .domain = "workflow",
    .nature = Nature::reliability,
    .summary = "Cut hotfix branches from a production tag, and deploy a hotfix only after its tests pass",
    .rationale =
        "A hotfix cut from main ships whatever else main holds that production does not: unreleased, "
        "untested changes ride along with the fix. Where a CI step, or a shell block of a Markdown document, "
        "creates a hotfix branch (`git checkout -b hotfix/...`, `git switch -c`, `git branch`, `git push "
        "<base>:refs/heads/hotfix/...`), its base must be a tag: a ref under refs/tags/, a version (v1.2.3), or "
        "an expression or variable that names a tag or version. A base that is main, master, develop or trunk "
        "is reported, and so is no base after the same script checked out one of them (`git checkout main`, "
        "then `git checkout -b hotfix/x`). A hotfix workflow (one that runs "
        "on pushes to hotfix branches, or whose file is named hotfix) that deploys must run the tests first "
        "(the Hotfix Process's deployment sibling clause): a deployment with no test job it waits for, or "
        "before the job's own tests, is reported. Hotfixes made by hand leave nothing in files to judge and "
        "are not reported.",
    .remediation = "Create hotfix branches from the production tag (`git checkout -b hotfix/x v1.4.2`), and make "
                   "the hotfix workflow's deployment wait for its tests (`needs: test`).",
    .bad_example = "on: workflow_dispatch\n"
                   "jobs:\n"
                   "  cut:\n"
                   "    runs-on: ubuntu-latest\n"
                   "    steps:\n"
                   "      - run: git checkout -b hotfix/${{ github.run_id }} origin/main\n",
    .good_example = "on: workflow_dispatch\n"
                    "jobs:\n"
                    "  cut:\n"
                    "    runs-on: ubuntu-latest\n"
                    "    steps:\n"
                    "      - run: git checkout -b hotfix/${{ github.run_id }} ${{ inputs.production_tag }}\n",
    .parameters = "",
    .clause = {.section = "hotfix", .text = "hotfix.*tag|tag.*hotfix"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// A command that creates a branch named hotfix..., with the base it names ("" for HEAD).
struct BranchCreation {
  std::string base;
};

std::optional<BranchCreation> creates_hotfix_branch(std::string_view line) {
  // The branch name may be quoted around an expression with spaces ("hotfix/${{ inputs.name }}").
  static const RE2 kCheckout(
      R"((?i)\bgit\s+(?:checkout\s+-[bB]|switch\s+-[cC]|branch(?:\s+-f)?)\s+(?:"[^"]*hotfix[^"]*"|'[^']*hotfix[^']*'|[^\s"']*hotfix[^\s"']*)(?:\s+["']?([^\s;&|"']+))?)");
  static const RE2 kPush(R"((?i)\bgit\s+push\s+\S+\s+["']?([^\s:"']+):(?:refs/heads/)?\S*hotfix)");
  std::string base;
  const re2::StringPiece input(line.data(), line.size());
  if (RE2::PartialMatch(input, kCheckout, &base)) return BranchCreation{base};
  if (RE2::PartialMatch(input, kPush, &base)) return BranchCreation{base};
  return std::nullopt;
}

bool is_tag_like(std::string_view base) {
  static const RE2 kTag(R"((?i)refs/tags/|^v?\d+\.\d+|tag|version|release|prod)");
  return RE2::PartialMatch(re2::StringPiece(base.data(), base.size()), kTag);
}

bool is_trunk(std::string_view base) {
  static const RE2 kTrunk(R"((?i)^(origin/|upstream/|refs/heads/|refs/remotes/origin/)?(main|master|develop|development|trunk)$)");
  return RE2::FullMatch(re2::StringPiece(base.data(), base.size()), kTrunk);
}

bool runs_on_hotfix_branches(const engine::RepositoryContext& repo, const constable::ci::Workflow& workflow) {
  if (text::icontains(text::basename(workflow.path), "hotfix")) return true;
  for (const auto& file : repo.workspace().files) {
    if (file.path != workflow.path) continue;
    const yaml::Stream* stream = repo.yaml(file);
    if (stream == nullptr || stream->documents.empty() || stream->documents.front().root == nullptr) return false;
    const yaml::Node* root = stream->documents.front().root;
    const yaml::Node* on = root->get("on") != nullptr ? root->get("on") : root->get("true");
    const yaml::Node* branches = on != nullptr ? on->at("push", "branches") : nullptr;
    if (branches == nullptr) return false;
    std::vector<const yaml::Node*> names =
        branches->is_sequence() ? std::vector(branches->items.begin(), branches->items.end()) : std::vector{branches};
    for (const yaml::Node* name : names)
      if (name != nullptr && text::icontains(name->str(), "hotfix")) return true;
    return false;
  }
  return false;
}

bool tests(const ci::Activities& a) {
  return a.test(ci::bit(ci::Activity::unit_tests)) || a.test(ci::bit(ci::Activity::integration_tests));
}

class HotfixProcessCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 kDeploy(R"((?i)deploy.*test|test.*deploy)");
    deploy_clause_ = nullptr;
    for (const constitution::Clause* clause : section)
      if (RE2::PartialMatch(clause->text, kDeploy)) {
        deploy_clause_ = clause;
        break;
      }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    if (deploy_clause_ == nullptr) return {};
    return {deploy_clause_};
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const ci::Pipeline& pipeline = ci::load_pipeline(repo);
    for (const auto& workflow : pipeline.workflows) {
      if (!workflow.errors.empty()) continue;
      report_branch_bases(workflow, out);
      if (deploy_clause_ != nullptr && runs_on_hotfix_branches(repo, workflow)) report_untested_deploys(workflow, out);
    }
    report_documented_bases(repo, out);
  }

 private:
  static void report_branch_bases(const constable::ci::Workflow& workflow, engine::Emitter& out) {
    for (const auto& job : workflow.jobs)
      for (const auto& step : job.steps) {
        std::string checked_out;
        for (std::string_view line : text::split_lines(step.run)) {
          const std::string base = trunk_base(line, checked_out);
          if (base.empty()) continue;
          out.emit({.range = SourceRange::at_line(step.line),
                    .message = fmt::format("job '{}' creates a hotfix branch from '{}', not from a production tag",
                                           job.id, base),
                    .path_override = workflow.path,
                    .anchor = fmt::format("hotfix base {} {}", job.id, base)});
        }
      }
  }

  // Shell blocks of the project's documents that show how to start a hotfix.
  static void report_documented_bases(const engine::RepositoryContext& repo, engine::Emitter& out) {
    for (const auto& file : repo.workspace().files) {
      const std::string lower = text::to_lower(file.path);
      if (!lower.ends_with(".md")) continue;
      const std::string_view content = read_text(repo, file);
      if (!text::icontains(content, "hotfix")) continue;
      bool in_fence = false;
      std::string checked_out;
      int number = 0;
      for (std::string_view line : text::split_lines(content)) {
        ++number;
        const std::string_view trimmed = text::trim(line);
        if (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
          in_fence = !in_fence;
          checked_out.clear();
          continue;
        }
        if (!in_fence) continue;
        const std::string base = trunk_base(trimmed, checked_out);
        if (base.empty()) continue;
        out.emit({.range = SourceRange::at_line(number),
                  .message = fmt::format("the documented hotfix procedure creates the hotfix branch from '{}', not "
                                         "from a production tag",
                                         base),
                  .path_override = file.path,
                  .anchor = fmt::format("documented hotfix base {}", base)});
      }
    }
  }

  // The trunk branch a line cuts a hotfix branch from ("" when it cuts none, or from a tag): the base it
  // names, else the branch an earlier line of the same script checked out.
  static std::string trunk_base(std::string_view line, std::string& checked_out) {
    static const RE2 kSwitch(R"((?i)^\s*(?:\$\s+)?git\s+(?:checkout|switch)\s+([A-Za-z0-9_./-]+)\s*$)");
    std::string switched;
    if (RE2::FullMatch(re2::StringPiece(line.data(), line.size()), kSwitch, &switched)) {
      checked_out = switched;
      return {};
    }
    const auto created = creates_hotfix_branch(line);
    if (!created) return {};
    const std::string base = created->base.empty() ? checked_out : created->base;
    if (base.empty() || is_tag_like(base) || !is_trunk(base)) return {};
    return base;
  }

  void report_untested_deploys(const constable::ci::Workflow& workflow, engine::Emitter& out) const {
    const auto after = workflow.runs_after();
    for (std::size_t j = 0; j < workflow.jobs.size(); ++j) {
      const auto& job = workflow.jobs[j];
      if (!ci::classify(job).test(ci::bit(ci::Activity::deploy))) continue;
      bool tested_before = false;
      for (std::size_t i = 0; i < workflow.jobs.size() && !tested_before; ++i)
        tested_before = after[j][i] && tests(ci::classify(workflow.jobs[i]));
      int deploy_line = job.line;
      for (const auto& step : job.steps) {
        const ci::Activities a = ci::classify(step, job);
        if (a.test(ci::bit(ci::Activity::deploy))) {
          deploy_line = step.line;
          break;
        }
        tested_before = tested_before || tests(a);
      }
      if (tested_before) continue;
      out.emit({.range = SourceRange::at_line(deploy_line),
                .message = fmt::format("hotfix job '{}' deploys without running the tests first", job.id),
                .path_override = workflow.path,
                .anchor = fmt::format("hotfix untested deploy {}", job.id),
                .clause = deploy_clause_});
    }
  }

  const constitution::Clause* deploy_clause_ = nullptr;
};

}  // namespace hotfix_process_check
}  // namespace

std::unique_ptr<engine::Check> make_hotfix_process_check() {
  return engine::make_check<hotfix_process_check::HotfixProcessCheck>();
}

}  // namespace constable::checks::workflow
