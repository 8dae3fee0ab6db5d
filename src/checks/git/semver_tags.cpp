// git/semver-tags: release tags are vMAJOR.MINOR.PATCH (SemVer 2.0.0, with
// optional pre-release and build metadata).

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/git/git_checks.hpp"
#include "git/repository.hpp"

namespace constable::checks::git {

namespace {

constexpr engine::CheckInfo kInfo{
    .id = "git/semver-tags",
    .domain = "git",
    .nature = Nature::maintainability,
    .summary = "Tag releases as vMAJOR.MINOR.PATCH (Semantic Versioning)",
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

class SemverTagsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    if (repo.repository() == nullptr) return;
    auto tags = repo.repository()->tags();
    if (!tags) return;
    // semver.org's grammar, with the leading 'v' the constitution's tags use.
    static const RE2 kSemver(
        R"(v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))"
        R"((?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?)"
        R"((?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?)");
    for (const auto& tag : *tags) {
      if (RE2::FullMatch(tag, kSemver)) continue;
      out.emit({.message = fmt::format("tag '{}' is not a SemVer release tag vMAJOR.MINOR.PATCH", tag),
                .path_override = fmt::format(".git/refs/tags/{}", tag)});
    }
  }
};

}  // namespace

std::unique_ptr<engine::Check> make_semver_tags_check() { return engine::make_check<SemverTagsCheck>(); }

}  // namespace constable::checks::git
