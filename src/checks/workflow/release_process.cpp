// workflow/release-process: a release workflow goes through the steps of
// the constitution's Release Process, in its order.

#include <fmt/format.h>
#include <re2/re2.h>

#include <array>
#include <bitset>
#include <memory>

#include "checks/ci/ci_support.hpp"
#include "checks/common/changelogs.hpp"
#include "checks/workflow/workflow_checks.hpp"
#include "checks/workflow/workflow_support.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::workflow {

namespace {
namespace release_process_check {

namespace ci = constable::checks::ci;

constexpr engine::CheckInfo kInfo{
    .id = "workflow/release-process",
    .domain = "workflow",
    .nature = Nature::reliability,
    .summary = "Release through the constitution's Release Process steps, in its order",
    .rationale =
        "The steps are ordered so that nothing reaches users untested, undocumented or unwatched. A release "
        "workflow is a GitHub Actions workflow that runs on `release` events or pushed tags, or that publishes "
        "or deploys, does not run on pull requests or on branches other than main and release ones, and runs "
        "only on release branches or has release in its file name; on GitLab, jobs or stages named release. "
        "Each numbered step of the section is recognised by what the workflow's steps run and how they are "
        "named: a release branch (a step creates one), the test suite (the CI test tools of ci/pipeline-stages, "
        "also through a called workflow), a changelog (git-cliff, conventional-changelog, standard-version, "
        "changie, towncrier, release-please, semantic-release, changesets, goreleaser, generated release notes), "
        "a tag (`git tag`, `gh release create`, release actions, GitLab's release-cli and `glab release create`, "
        "release-please, semantic-release; a workflow "
        "started by a pushed tag or a release was tagged before it ran), staging and production deployments (a "
        "deploying job or step whose environment or name says staging or production), smoke tests (named "
        "smoke, after a staging deployment), a progressive rollout (canary, blue-green, Argo Rollouts, Flagger, "
        "traffic weights), monitoring (named monitor, metrics or SLO, or Prometheus, Datadog, Grafana, after the "
        "production deployment), release notes (release-drafter, "
        "goreleaser, release-please, semantic-release, or a GitHub release given notes) and merging back (`git "
        "merge` or a pull request into main). Order follows the jobs' `needs` and the steps' order in a job: a "
        "step is out of order when it runs before an earlier step that the workflow also runs. A step is "
        "missing only where files show it applies and is absent: the test suite when neither the release "
        "workflow nor any CI workflow on pushes or pull requests runs tests or is named for them (or it follows "
        "CI with `workflow_run`); a changelog when no step generates one and the repository keeps none (a CHANGELOG, "
        "CHANGES, HISTORY or NEWS file, or a directory of entries such as docs/releasenotes/ or .changes/); "
        "release notes when a step creates a GitHub release without notes; staging, smoke tests, a progressive "
        "rollout and monitoring when the workflow deploys to production; merging back when it runs only on "
        "release branches of their own (release/1.4, release-*; not one long-lived `release` branch); the "
        "release branch when it releases straight from pushes to main. A repository without a release workflow "
        "is not reported: its releases may be made by hand.",
    .remediation = "Make the release workflow run each step the constitution lists, in its order: jobs that "
                   "`needs:` the previous step, a staging deployment with smoke tests before a progressive "
                   "production rollout, and release notes.",
    .bad_example = "on:\n"
                   "  push:\n"
                   "    tags: ['v*']\n"
                   "jobs:\n"
                   "  release:\n"
                   "    runs-on: ubuntu-latest\n"
                   "    steps:\n"
                   "      - run: twine upload dist/*\n",
    .good_example = "on:\n"
                    "  push:\n"
                    "    tags: ['v*']\n"
                    "jobs:\n"
                    "  test:\n"
                    "    runs-on: ubuntu-latest\n"
                    "    steps:\n"
                    "      - run: pytest\n"
                    "  release:\n"
                    "    needs: test\n"
                    "    runs-on: ubuntu-latest\n"
                    "    steps:\n"
                    "      - run: git-cliff -o CHANGELOG.md\n"
                    "      - run: gh release create \"$GITHUB_REF_NAME\" --notes-file CHANGELOG.md\n",
    .parameters = "the release steps, in order, from the section's numbered list",
    .clause = {.section = "release process|release", .text = "release branch|branch.*from (main|master|trunk)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

enum class Step : std::uint8_t {
  release_branch, tests, changelog, tag, staging, smoke_tests, production, monitoring, release_notes, merge_back
};
constexpr std::size_t kStepCount = 10;
using Steps = std::bitset<kStepCount>;
std::size_t bit(Step s) { return static_cast<std::size_t>(s); }

// The kind of step a numbered clause names, from its words.
std::optional<Step> step_of(std::string_view clause) {
  const std::string lower = text::to_lower(clause);
  auto has = [&](std::string_view w) { return lower.find(w) != std::string::npos; };
  if (has("branch") && (has("merge") || has(" back"))) return Step::merge_back;
  if (has("branch")) return Step::release_branch;
  if (has("smoke")) return Step::smoke_tests;
  if (has("test")) return Step::tests;
  if (has("release note")) return Step::release_notes;
  if (has("changelog") || has("change log")) return Step::changelog;
  if (has("tag")) return Step::tag;
  if (has("staging") || has("pre-prod") || has("preprod")) return Step::staging;
  if (has("production") || has("rollout") || has("prod")) return Step::production;
  if (has("monitor") || has("metric") || has("observ")) return Step::monitoring;
  return std::nullopt;
}


struct Patterns {
  RE2 changelog{R"((?i)git-cliff|orhun/git-cliff-action|conventional-changelog|standard-version|changie|towncrier|)"
                R"(auto-changelog|github_changelog_generator|release-please|semantic-release|changesets/action|)"
                R"(changeset version|goreleaser|generate[-_]release[-_]notes|--generate-notes|)"
                R"(release-changelog-builder|lerna version|\bchangelog\b)"};
  RE2 tag{R"((?i)git tag|git push[^\n]*(--tags|refs/tags)|gh release create|softprops/action-gh-release|)"
          R"(ncipollo/release-action|actions/create-release|release-please|semantic-release|github-tag-action|)"
          R"(npm version|cargo release|bump-?my-?version|\btag (the )?release|release-cli create|glab release create)"};
  // Tools that write the notes themselves, and GitHub releases created with notes.
  RE2 notes{R"((?i)release-drafter|goreleaser|release-please|semantic-release|changesets/action|release notes)"};
  RE2 creates_release{R"((?i)gh release create|softprops/action-gh-release|ncipollo/release-action|)"
                      R"(actions/create-release|release-cli create|glab release create)"};
  RE2 with_notes{R"((?i)--notes|--generate-notes|\s-n\s|\s-F\s|\bbody|generate_release_notes|generateReleaseNotes|--description)"};
  RE2 branch{R"((?i)git (checkout -b|switch -c|branch)\s+\S*release|git push[^\n]*\brelease[/-])"};
  RE2 merge_back{R"((?i)merge[- ]back|git merge[^\n]*|gh pr create[^\n]*--base[= ](main|master))"};
  RE2 smoke{R"((?i)smoke)"};
  RE2 staging{R"((?i)stag(e|ing)\b|staging|pre-?prod|\buat\b)"};
  RE2 production{R"((?i)\bprod(uction)?\b|\blive\b)"};
  RE2 progressive{R"((?i)canary|progressive|blue.?green|argo.?rollouts|kubectl[- ]argo|flagger|traffic|)"
                  R"(--percent|weight|rollout)"};
  RE2 monitoring{R"((?i)monitor|metrics|\bslos?\b|prometheus|datadog|grafana|new.?relic)"};
};
const Patterns& patterns() {
  static const Patterns p;
  return p;
}

bool matches(std::string_view text, const RE2& re) {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

// All a step says about itself and what it calls: name, action, inputs, commands.
std::string step_text(const constable::ci::Step& step) {
  std::string out = step.name + '\n' + step.uses + '\n' + step.run + '\n';
  for (const auto& [key, value] : step.with) out += key + ": " + value + '\n';
  for (const auto& called : step.expansion) out += step_text(called);
  return out;
}

std::string job_text(const constable::ci::Job& job) {
  return job.id + '\n' + job.name + '\n' + job.stage + '\n' + job.environment + '\n' + job.uses + '\n';
}

// What the workflow's `on:` says about releases.
struct Trigger {
  bool release_event = false;
  bool tags = false;
  bool release_branches = false;
  bool main_branch = false;
  bool versioned_release_branches = false;
  bool other_branches = false;  // pushes to branches other than release ones and main start it too (CI)
};

Trigger read_trigger(const engine::RepositoryContext& repo, const constable::ci::Workflow& workflow) {
  Trigger out;
  for (const auto& event : workflow.triggers) out.release_event = out.release_event || event == "release";
  for (const auto& file : repo.workspace().files) {
    if (file.path != workflow.path) continue;
    const yaml::Stream* stream = repo.yaml(file);
    if (stream == nullptr || stream->documents.empty() || stream->documents.front().root == nullptr) break;
    const yaml::Node* root = stream->documents.front().root;
    const yaml::Node* on = root->get("on");
    if (on == nullptr) on = root->get("true");  // `on` read as a YAML 1.1 boolean
    const yaml::Node* push = on != nullptr ? on->get("push") : nullptr;
    if (push == nullptr || !push->is_mapping()) break;
    out.tags = push->get("tags") != nullptr;
    if (const yaml::Node* branches = push->get("branches"); branches != nullptr) {
      std::vector<const yaml::Node*> names =
          branches->is_sequence() ? std::vector(branches->items.begin(), branches->items.end()) : std::vector{branches};
      for (const yaml::Node* name : names) {
        const std::string value = name != nullptr ? text::to_lower(name->str()) : "";
        const bool release = value.find("release") != std::string::npos;
        out.release_branches = out.release_branches || release;
        // release/1.4, release-*: a branch per release, as opposed to one long-lived `release` branch that
        // main is merged into for deployment, which nothing needs merging back from.
        out.versioned_release_branches =
            out.versioned_release_branches || (release && value != "release" && value != "releases");
        const bool main = value == "main" || value == "master" || value == "trunk";
        out.other_branches = out.other_branches || (!release && !main);
        out.main_branch = out.main_branch || main;
      }
    }
    break;
  }
  return out;
}

// One place a workflow does something: a step of a job (or a job that calls
// a reusable workflow), with the release steps it performs.
struct Occurrence {
  std::size_t job = 0;
  std::size_t step = 0;
  int line = 0;
  Steps steps;
  bool release_without_notes = false;  // creates a GitHub release and gives it no notes
};

class ReleaseProcessCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    steps_.clear();
    clauses_.clear();
    for (const constitution::Clause* clause : section) {
      if (clause->kind != constitution::ClauseKind::list_item && clause->kind != constitution::ClauseKind::standard_item)
        continue;
      auto step = step_of(clause->text);
      if (!step)
        return fail(fmt::format("workflow/release-process: cannot tell which release step '{}' is (expected words "
                                "like release branch, test suite, changelog, tag, staging, smoke tests, production, "
                                "monitor, release notes, merge back)",
                                clause->text),
                    "", clause->line);
      steps_.push_back(*step);
      clauses_.push_back(clause);
    }
    if (steps_.empty()) return fail("workflow/release-process: the Release Process section lists no step");
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override { return clauses_; }

  std::string bound_parameters() const override {
    std::string out;
    for (std::size_t i = 0; i < clauses_.size(); ++i)
      out += fmt::format("{}{}. {}", i == 0 ? "" : ", ", i + 1, clauses_[i]->text);
    return out;
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const ci::Pipeline& pipeline = ci::load_pipeline(repo);
    const bool keeps_changelog = keeps_changelog_file(repo.workspace());
    // Tests every change goes through: the released commit went through them too. A workflow or job named
    // for tests counts, as its commands may hide the runner (`npm run ci`).
    bool pipeline_tests = false;
    for (const auto* workflow : pipeline.change_pipeline()) {
      pipeline_tests = pipeline_tests || text::icontains(text::basename(workflow->path), "test") ||
                       text::icontains(workflow->name, "test");
      for (const auto& job : workflow->jobs) {
        const ci::Activities a = ci::classify(job);
        pipeline_tests = pipeline_tests || a.test(ci::bit(ci::Activity::unit_tests)) ||
                         a.test(ci::bit(ci::Activity::integration_tests)) || text::icontains(job.id, "test") ||
                         text::icontains(job.name, "test");
      }
    }
    for (const auto& workflow : pipeline.workflows) {
      if (!workflow.errors.empty() || workflow.only_called()) continue;
      const Trigger trigger = read_trigger(repo, workflow);
      const auto occurrences = occurrences_of(workflow, trigger);
      Steps done;
      ci::Activities activities;
      for (const auto& o : occurrences) done |= o.steps;
      for (const auto& job : workflow.jobs) activities |= ci::classify(job);
      const bool ships = activities.test(ci::bit(ci::Activity::publish)) || activities.test(ci::bit(ci::Activity::deploy));
      if (!is_release_workflow(workflow, trigger, ships)) continue;
      if (!ships && !done.test(bit(Step::tag))) continue;  // prepares a release (a changelog PR), releases nothing
      report_order(workflow, occurrences, out);
      report_missing(workflow, trigger, occurrences, done, keeps_changelog, pipeline_tests, out);
    }
  }

 private:
  // A changelog or release notes kept in the repository: a CHANGELOG-like file at the root or in docs/,
  // or a directory of entries (changie's .changes/, towncrier's newsfragments/, docs/releasenotes/).
  static bool keeps_changelog_file(const workspace::Workspace& workspace) {
    static const RE2 kDirectory(
        R"((?i)(^|/)(changelog|changelogs|changes|\.changes|changelog\.d|newsfragments|release-?notes|release_notes)/)");
    for (const auto& file : workspace.files) {
      const std::string lower = text::to_lower(file.path);
      if (RE2::PartialMatch(lower, kDirectory)) return true;
      if (lower.find('/') != std::string::npos && !lower.starts_with("docs/")) continue;
      const std::string_view name = text::basename(lower);
      if (changelogs::is_changelog_name(name)) return true;
    }
    return false;
  }

  static bool is_release_workflow(const constable::ci::Workflow& workflow, const Trigger& trigger, bool ships) {
    if (workflow.provider == constable::ci::Provider::gitlab_ci) {
      for (const auto& job : workflow.jobs)
        if (text::icontains(job.id, "release") || text::icontains(job.stage, "release")) return true;
      return false;
    }
    if (trigger.release_event || trigger.tags) return true;
    // CI that also runs on pull requests or on other branches is no release workflow, whatever it is named.
    if (!ships || workflow.runs_on_pull_request() || trigger.other_branches) return false;
    if (trigger.release_branches && !trigger.main_branch) return true;
    return text::icontains(text::basename(workflow.path), "release");
  }

  // Release steps each step (or calling job) performs; a pushed tag or
  // release branch that starts the workflow is no step it runs.
  static std::vector<Occurrence> occurrences_of(const constable::ci::Workflow& workflow, const Trigger& trigger) {
    const Patterns& p = patterns();
    std::vector<Occurrence> out;
    for (std::size_t j = 0; j < workflow.jobs.size(); ++j) {
      const auto& job = workflow.jobs[j];
      const std::string context = job_text(job);
      auto judge = [&](const std::string& own, const ci::Activities& activities, std::size_t s, int line) {
        Occurrence o{.job = j, .step = s, .line = line};
        const bool tests = activities.test(ci::bit(ci::Activity::unit_tests)) ||
                           activities.test(ci::bit(ci::Activity::integration_tests)) ||
                           activities.test(ci::bit(ci::Activity::contract_tests));
        if (matches(own, p.smoke) || (tests && matches(context, p.smoke))) o.steps.set(bit(Step::smoke_tests));
        else if (tests) o.steps.set(bit(Step::tests));
        if (matches(own, p.changelog)) o.steps.set(bit(Step::changelog));
        // A workflow started by a pushed tag or a release was tagged before it ran; moving
        // other tags (`stable`, `latest`) is no step of the process.
        if (matches(own, p.tag) && !trigger.tags && !trigger.release_event) o.steps.set(bit(Step::tag));
        if (matches(own, p.notes)) {
          o.steps.set(bit(Step::release_notes));
        } else if (matches(own, p.creates_release)) {
          if (matches(own, p.with_notes)) o.steps.set(bit(Step::release_notes));
          else o.release_without_notes = true;
        }
        if (matches(own, p.branch)) o.steps.set(bit(Step::release_branch));
        if (matches(own, p.merge_back) && trigger.versioned_release_branches) o.steps.set(bit(Step::merge_back));
        if (activities.test(ci::bit(ci::Activity::deploy))) {
          const std::string where = context + own;
          if (matches(job.environment + '\n' + job.id + '\n' + job.name + '\n' + own, p.staging))
            o.steps.set(bit(Step::staging));
          else if (matches(where, p.production))
            o.steps.set(bit(Step::production));
        }
        if (matches(own, p.monitoring) && !activities.test(ci::bit(ci::Activity::deploy)))
          o.steps.set(bit(Step::monitoring));
        if (o.steps.any() || o.release_without_notes) out.push_back(o);
      };
      if (job.steps.empty() && !job.uses.empty()) {
        judge(job.uses + '\n' + job.id + '\n' + job.name, ci::classify(job), 0, job.line);
        continue;
      }
      for (std::size_t s = 0; s < job.steps.size(); ++s)
        judge(step_text(job.steps[s]) + context, ci::classify(job.steps[s], job), s, job.steps[s].line);
    }
    // Smoke tests are the ones run against staging, and monitoring watches production: a smoke test of a
    // binary before it is published, or metrics uploaded while building, are neither.
    keep_only_after(workflow, out, Step::staging, Step::smoke_tests);
    keep_only_after(workflow, out, Step::production, Step::monitoring);
    return out;
  }

  static void keep_only_after(const constable::ci::Workflow& workflow, std::vector<Occurrence>& occurrences,
                              Step deployment, Step follower) {
    const auto after = workflow.runs_after();
    std::vector<bool> keep(occurrences.size(), true);
    for (std::size_t i = 0; i < occurrences.size(); ++i) {
      if (!occurrences[i].steps.test(bit(follower))) continue;
      bool follows = false;
      for (const Occurrence& d : occurrences) {
        if (!d.steps.test(bit(deployment))) continue;
        const Occurrence& f = occurrences[i];
        follows = follows || (d.job == f.job ? d.step <= f.step : static_cast<bool>(after[f.job][d.job]));
      }
      keep[i] = follows;
    }
    for (std::size_t i = 0; i < occurrences.size(); ++i)
      if (!keep[i]) occurrences[i].steps.reset(bit(follower));
  }

  // Index (into steps_) of a step kind, or npos when the constitution does not list it.
  std::size_t index_of(Step step) const {
    for (std::size_t i = 0; i < steps_.size(); ++i)
      if (steps_[i] == step) return i;
    return std::string::npos;
  }

  const constitution::Clause* clause_of(Step step) const {
    const std::size_t i = index_of(step);
    return i == std::string::npos || i == 0 ? nullptr : clauses_[i];
  }

  void report_order(const constable::ci::Workflow& workflow, const std::vector<Occurrence>& occurrences,
                    engine::Emitter& out) const {
    const auto after = workflow.runs_after();
    auto before = [&](const Occurrence& a, const Occurrence& b) {
      return a.job == b.job ? a.step < b.step : static_cast<bool>(after[b.job][a.job]);
    };
    Steps reported;
    for (const Occurrence& later : occurrences) {
      bool reported_here = false;  // a step that does several things out of order is one finding
      for (std::size_t li = 0; li < steps_.size() && !reported_here; ++li) {
        if (!later.steps.test(bit(steps_[li])) || reported.test(bit(steps_[li]))) continue;
        for (std::size_t ei = 0; ei < li && !reported.test(bit(steps_[li])); ++ei) {
          const Step earlier = steps_[ei];
          bool ran_before = false;
          const Occurrence* runs_after_it = nullptr;
          for (const Occurrence& o : occurrences) {
            if (!o.steps.test(bit(earlier))) continue;
            if (before(o, later) || (&o == &later)) ran_before = true;
            else if (before(later, o) && runs_after_it == nullptr) runs_after_it = &o;
          }
          if (ran_before || runs_after_it == nullptr) continue;
          out.emit({.range = SourceRange::at_line(later.line),
                    .message = fmt::format("job '{}' does step {} '{}' before job '{}' does step {} '{}' (line {})",
                                           workflow.jobs[later.job].id, li + 1, clauses_[li]->text,
                                           workflow.jobs[runs_after_it->job].id, ei + 1, clauses_[ei]->text,
                                           runs_after_it->line),
                    .path_override = workflow.path,
                    .anchor = fmt::format("order {} {}", li + 1, ei + 1),
                    .clause = li == 0 ? nullptr : clauses_[li]});
          reported.set(bit(steps_[li]));
          reported_here = true;
        }
      }
    }
  }

  void missing(engine::Emitter& out, const constable::ci::Workflow& workflow, Step step, std::string why) const {
    const std::size_t i = index_of(step);
    if (i == std::string::npos) return;
    out.emit({.range = SourceRange::at_line(workflow.jobs_line),
              .message = fmt::format("release workflow does not do step {} '{}': {}", i + 1, clauses_[i]->text,
                                     std::move(why)),
              .path_override = workflow.path,
              .anchor = fmt::format("missing {}", i + 1),
              .clause = clause_of(step)});
  }

  void report_missing(const constable::ci::Workflow& workflow, const Trigger& trigger,
                      const std::vector<Occurrence>& occurrences, const Steps& done, bool keeps_changelog,
                      bool pipeline_tests, engine::Emitter& out) const {
    const bool follows_ci = !workflow.follows.empty();
    if (!done.test(bit(Step::tests)) && !follows_ci && !pipeline_tests)
      missing(out, workflow, Step::tests, "no job runs the test suite before releasing, and no CI workflow runs it "
                                          "on pushes or pull requests");
    if (!done.test(bit(Step::changelog)) && !keeps_changelog)
      missing(out, workflow, Step::changelog, "no step generates a changelog and the repository keeps none");
    if (const std::size_t notes = index_of(Step::release_notes); notes != std::string::npos)
      for (const Occurrence& o : occurrences)
        if (o.release_without_notes)
          out.emit({.range = SourceRange::at_line(o.line),
                    .message = fmt::format("job '{}' creates a release without notes (step {} '{}'): no --notes, "
                                           "--notes-file, --generate-notes, --description or body",
                                           workflow.jobs[o.job].id, notes + 1, clauses_[notes]->text),
                    .path_override = workflow.path,
                    .anchor = fmt::format("release without notes {}", workflow.jobs[o.job].id),
                    .clause = clause_of(Step::release_notes)});
    if (trigger.main_branch && !trigger.release_branches && !trigger.tags && !trigger.release_event &&
        !done.test(bit(Step::release_branch)))
      missing(out, workflow, Step::release_branch, "it releases straight from pushes to the main branch");
    if (trigger.versioned_release_branches && !trigger.main_branch && !trigger.other_branches &&
        !workflow.runs_on_pull_request() && !done.test(bit(Step::merge_back)))
      missing(out, workflow, Step::merge_back, "it runs on a release branch and nothing merges it back");
    if (!done.test(bit(Step::production))) return;
    // Deploys to production: what must surround that deployment.
    if (!done.test(bit(Step::staging)))
      missing(out, workflow, Step::staging, "it deploys to production without deploying to staging first");
    else if (!done.test(bit(Step::smoke_tests)))
      missing(out, workflow, Step::smoke_tests, "nothing named smoke tests runs against staging");
    const Patterns& p = patterns();
    bool progressive = false;
    for (const Occurrence& o : occurrences) {
      if (!o.steps.test(bit(Step::production))) continue;
      const auto& job = workflow.jobs[o.job];
      std::string said = job_text(job);
      if (o.step < job.steps.size()) said += step_text(job.steps[o.step]);
      progressive = progressive || matches(said, p.progressive);
    }
    if (!progressive)
      missing(out, workflow, Step::production,
              "its production deployment is not progressive (no canary, blue-green or staged rollout)");
    if (!done.test(bit(Step::monitoring)) && !progressive)
      missing(out, workflow, Step::monitoring, "nothing watches metrics or health after the production deployment");
  }

  std::vector<Step> steps_;
  std::vector<const constitution::Clause*> clauses_;
};

}  // namespace release_process_check
}  // namespace

std::unique_ptr<engine::Check> make_release_process_check() {
  return engine::make_check<release_process_check::ReleaseProcessCheck>();
}

}  // namespace constable::checks::workflow
