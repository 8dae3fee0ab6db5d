// ci/build-cache: workflows that build or test cache what they download.

#include <fmt/format.h>

#include <optional>

#include "checks/ci/ci_checks.hpp"
#include "checks/ci/ci_support.hpp"
#include "core/text.hpp"

namespace constable::checks::ci {

namespace {
namespace build_cache_check {

constexpr engine::CheckInfo kInfo{
    .id = "ci/build-cache",
    .domain = "ci",
    .nature = Nature::maintainability,
    .summary = "Cache dependencies and build layers in CI",
    .rationale =
        "Without a cache every run downloads and rebuilds everything, which is the usual reason a pipeline "
        "misses its time budget. A workflow caches when a step uses actions/cache (or /restore), a setup action "
        "with a `cache` input (setup-node, setup-python, setup-java, setup-dotnet), setup-go v4 or later and "
        "setup-uv v5 or later (they cache by default; an action pinned by commit is taken as current), setup-uv "
        "with enable-cache, setup-ruby with bundler-cache, setup-gradle, rust-cache, "
        "ccache/sccache actions, docker/build-push-action with cache-from or cache-to, or a command with "
        "--cache-from/--cache-to (buildx, kaniko --cache); a GitLab job caches with `cache:` (its own, a "
        "template's or `default:`); a local composite action's steps count for the step that uses it. Only the "
        "workflows of the pipeline (run on pull requests or pushes) that build or test are required to cache.",
    .remediation = "Cache package downloads (actions/setup-python with `cache: pip`, actions/setup-node with "
                   "`cache: npm`, actions/cache for other tools; `cache:` with a key on GitLab) and image "
                   "layers (`cache-from: type=gha` / `cache-to: type=gha,mode=max`).",
    .bad_example = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: actions/setup-python@v5\n      - run: pip install -r requirements.txt\n"
                   "      - run: pytest\n",
    .good_example = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                    "      - uses: actions/setup-python@v5\n        with: {python-version: '3.12', cache: pip}\n"
                    "      - run: pip install -r requirements.txt\n      - run: pytest\n",
    .parameters = "",
    .clause = {.section = "ci performance|continuous integration", .text = "caching must be"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// The action's major version ("actions/setup-go@v5" -> 5); nothing when pinned by commit or branch.
std::optional<int> major_version(std::string_view uses) {
  const auto at = uses.find("@v");
  if (at == std::string_view::npos || at + 2 >= uses.size() || uses[at + 2] < '0' || uses[at + 2] > '9') return std::nullopt;
  int major = 0;
  for (std::size_t i = at + 2; i < uses.size() && uses[i] >= '0' && uses[i] <= '9'; ++i) major = major * 10 + (uses[i] - '0');
  return major;
}

// An action that caches by default from version `since` on (a commit pin is taken as current).
bool caches_by_default(std::string_view uses, int since) { return major_version(uses).value_or(since) >= since; }

bool caches(const constable::ci::Step& step) {
  for (const auto& called : step.expansion)
    if (caches(called)) return true;
  const std::string uses = text::to_lower(step.uses);
  const std::string name = uses.substr(0, uses.find('@'));
  auto enabled = [&](std::string_view key) {
    const std::string_view value = step.input(key);
    return !value.empty() && !text::iequals(value, "false");
  };
  if (name == "actions/cache" || name == "actions/cache/restore") return true;
  if (name == "actions/setup-go") return caches_by_default(uses, 4) ? !text::iequals(step.input("cache"), "false") : enabled("cache");
  if (name.starts_with("actions/setup-") && enabled("cache")) return true;
  if (name == "astral-sh/setup-uv")
    return caches_by_default(uses, 5) ? !text::iequals(step.input("enable-cache"), "false") : enabled("enable-cache");
  if (name == "ruby/setup-ruby" && enabled("bundler-cache")) return true;
  if (name == "gradle/actions/setup-gradle" || name == "gradle/gradle-build-action" || name == "swatinem/rust-cache" ||
      name == "hendrikmuhs/ccache-action" || name == "mozilla-actions/sccache-action")
    return true;
  if ((name == "docker/build-push-action" || name == "docker/bake-action") &&
      (!step.input("cache-from").empty() || !step.input("cache-to").empty()))
    return true;
  const std::string run = text::to_lower(step.run);
  return run.find("--cache-from") != std::string::npos || run.find("--cache-to") != std::string::npos ||
         run.find("--cache=true") != std::string::npos;
}

class BuildCacheCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    Activities heavy;
    heavy.set(bit(Activity::build)).set(bit(Activity::image_build)).set(bit(Activity::unit_tests))
        .set(bit(Activity::integration_tests));
    const Pipeline& pipeline = load_pipeline(repo);
    for (const auto* member : pipeline.change_pipeline()) {
      const auto& workflow = *member;
      bool needs_cache = false, cached = false;
      for (const auto& job : workflow.jobs) {
        needs_cache = needs_cache || (classify(job) & heavy).any();
        cached = cached || job.has_cache;
        for (const auto& step : job.steps) cached = cached || caches(step);
      }
      if (needs_cache && !cached)
        emit_at(out, workflow.path, workflow.jobs_line, "this workflow builds or tests but caches nothing between runs");
    }
  }
};

}  // namespace build_cache_check
}  // namespace

std::unique_ptr<engine::Check> make_build_cache_check() {
  return engine::make_check<build_cache_check::BuildCacheCheck>();
}

}  // namespace constable::checks::ci
