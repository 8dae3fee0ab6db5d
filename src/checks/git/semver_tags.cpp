// git/semver-tags: release tags are MAJOR.MINOR.PATCH (SemVer 2.0.0, with
// optional pre-release and build metadata), written as projects write them:
// with or without a leading 'v', and in a repository that releases several
// components, after the component's name (Go's `api/v1.2.3`,
// chart-releaser's `redis-18.2.0`, `airflow/0.0.1`). The tags that break
// the convention are one problem, reported once with the first few named.

#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <re2/re2.h>

#include "checks/git/git_checks.hpp"
#include "git/repository.hpp"

namespace constable::checks::git {

namespace {
namespace semver_tags_check {

constexpr engine::CheckInfo kInfo{
    .id = "git/semver-tags",
    .domain = "git",
    .nature = Nature::maintainability,
    .summary = "Tag releases as MAJOR.MINOR.PATCH (Semantic Versioning)",
    .rationale = "SemVer tags tell users what an upgrade risks (breaking, feature, fix) and let tooling order "
                 "releases; ad-hoc tags break both.",
    .remediation = "Create the release tag as vMAJOR.MINOR.PATCH (git tag -a v1.4.0 -m ...) and delete the "
                   "non-conforming one (git tag -d old && git push origin :refs/tags/old).",
    .bad_example = "release-2026-11\n",
    .good_example = "v1.4.0\n",
    .parameters = "",
    .clause = {.section = "release|version", .text = "semantic versioning.*(must|major)"},
    .file_kind = FileKind::other,
    .stack = "git",  // the workspace is in a git repository (app::kGitRepositoryFact)
    .scope = engine::Scope::repository,
};

// "'v1.0'" -> "v1.0"
std::string tag_name(std::string_view quoted) { return std::string(quoted.substr(1, quoted.size() - 2)); }

class SemverTagsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    if (repo.repository() == nullptr) return;
    const auto& tags = repo.repository()->tags();
    if (!tags) return;
    // semver.org's grammar, after an optional component ("api/", "redis-")
    // and 'v'.
    static const RE2 kSemver(
        R"((?:[A-Za-z0-9._-]*[A-Za-z_][A-Za-z0-9._-]*[/-])*v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))"
        R"((?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?)"
        R"((?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?)");
    constexpr std::size_t kNamed = 5;
    std::vector<std::string> named;
    std::size_t offending = 0;
    for (const auto& tag : *tags) {
      if (RE2::FullMatch(tag, kSemver)) continue;
      if (++offending <= kNamed) named.push_back(fmt::format("'{}'", tag));
    }
    if (offending == 0) return;
    const std::string more = offending > kNamed ? fmt::format(" and {} more", offending - kNamed) : "";
    out.emit({.message = offending == 1
                             ? fmt::format("tag {} is not a SemVer release tag (MAJOR.MINOR.PATCH)", named.front())
                             : fmt::format("{} tags are not SemVer release tags (MAJOR.MINOR.PATCH): {}{}", offending,
                                           fmt::join(named, ", "), more),
              .path_override = offending == 1 ? fmt::format(".git/refs/tags/{}", tag_name(named.front()))
                                              : std::string(".git/refs/tags"),
              .anchor = "non-semver tags"});
  }
};

}  // namespace semver_tags_check
}  // namespace

std::unique_ptr<engine::Check> make_semver_tags_check() {
  return engine::make_check<semver_tags_check::SemverTagsCheck>();
}

}  // namespace constable::checks::git
