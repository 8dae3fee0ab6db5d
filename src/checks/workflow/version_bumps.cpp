// workflow/version-bumps: each release tag bumps the part of the version the
// Conventional Commits it releases call for: MAJOR for breaking changes,
// MINOR for new features.

#include <algorithm>
#include <array>
#include <tuple>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/workflow/workflow_checks.hpp"
#include "git/repository.hpp"

namespace constable::checks::workflow {

namespace {
namespace version_bumps_check {

constexpr engine::CheckInfo kInfo{
    .id = "workflow/version-bumps",
    .domain = "workflow",
    .nature = Nature::maintainability,
    .summary = "Bump MAJOR for breaking changes and MINOR for new features in every release",
    .rationale =
        "A version number is a promise about what an upgrade risks; a breaking change released as a minor "
        "version breaks every user who trusted it. The check reads the repository's release tags "
        "(MAJOR.MINOR.PATCH, with or without a leading v; pre-releases and component-prefixed tags are passed "
        "over), orders them by version and, for each of the 20 most recent releases, reads the commits it "
        "adds to the release before it as Conventional Commits: a breaking change (`!` or a BREAKING CHANGE "
        "footer) needs a MAJOR bump, a `feat` a MINOR bump at least. Before 1.0.0, where SemVer lets anything "
        "change, a breaking change needs a MINOR bump. Commits that are not Conventional Commits tell nothing "
        "and are passed over (git/conventional-commits judges them). Bug fixes need a PATCH bump, which every "
        "new release is.",
    .remediation = "Tag the next release with the bump its changes call for (a breaking change: the next MAJOR "
                   "version), and say in the release notes which version should have carried the change.",
    .bad_example = "v1.4.0  <- feat!: remove the v1 orders API\n",
    .good_example = "v2.0.0  <- feat!: remove the v1 orders API\n",
    .parameters = "",
    .clause = {.section = "versioning", .text = "breaking.*major|major.*breaking"},
    .file_kind = FileKind::other,
    .stack = "git",  // the workspace is in a git repository
    .scope = engine::Scope::repository,
};

struct Version {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string tag;
  auto key() const { return std::tie(major, minor, patch); }
};

constexpr std::size_t kReleasesJudged = 20;

class VersionBumpsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    bound_ = &clause;
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 kFeature(R"((?i)feature.*minor|minor.*feature)");
    feature_clause_ = nullptr;
    for (const constitution::Clause* clause : section)
      if (clause != bound_ && RE2::PartialMatch(clause->text, kFeature)) {
        feature_clause_ = clause;
        break;
      }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    if (feature_clause_ == nullptr) return {};
    return {feature_clause_};
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const constable::git::Repository* repository = repo.repository();
    if (repository == nullptr) return;
    const auto& tags = repository->tags();
    if (!tags) return;
    static const RE2 kRelease(R"(v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))");
    std::vector<Version> versions;
    for (const auto& tag : *tags) {
      Version v{.tag = tag};
      if (RE2::FullMatch(tag, kRelease, &v.major, &v.minor, &v.patch)) versions.push_back(std::move(v));
    }
    std::sort(versions.begin(), versions.end(), [](const Version& a, const Version& b) { return a.key() < b.key(); });
    // Two tags of one version ("1.2.0" and "v1.2.0") release the same thing.
    versions.erase(std::unique(versions.begin(), versions.end(),
                               [](const Version& a, const Version& b) { return a.key() == b.key(); }),
                   versions.end());
    const std::size_t first = versions.size() > kReleasesJudged + 1 ? versions.size() - kReleasesJudged - 1 : 0;
    for (std::size_t i = first + 1; i < versions.size(); ++i) judge(*repository, repo, versions[i - 1], versions[i], out);
  }

 private:
  void judge(const constable::git::Repository& repository, const engine::RepositoryContext& repo, const Version& previous,
             const Version& release, engine::Emitter& out) const {
    auto commits = repository.commits_between(previous.tag, release.tag);
    if (!commits) return;
    const bool major_bump = release.major > previous.major;
    const bool minor_bump = major_bump || release.minor > previous.minor;
    const constable::git::Commit* breaking = nullptr;
    const constable::git::Commit* feature = nullptr;
    for (const auto& commit : *commits) {
      const auto parsed = constable::git::parse_conventional_commit(commit.message, repo.config().git.commit_types);
      const auto* conventional = std::get_if<constable::git::ConventionalCommit>(&parsed);
      if (conventional == nullptr) continue;
      if (conventional->breaking && breaking == nullptr) breaking = &commit;
      if (conventional->type == "feat" && feature == nullptr) feature = &commit;
    }
    // Before 1.0.0 a breaking change may ship in a minor release.
    const bool breaking_unbumped = breaking != nullptr && (previous.major == 0 ? !minor_bump : !major_bump);
    if (breaking_unbumped) {
      out.emit({.message = fmt::format("release {} follows {} with a breaking change ({} '{}') but does not bump the "
                                       "{} version",
                                       release.tag, previous.tag, breaking->short_id, breaking->summary,
                                       previous.major == 0 ? "MINOR" : "MAJOR"),
                .path_override = fmt::format(".git/refs/tags/{}", release.tag),
                .anchor = fmt::format("breaking in {}", release.tag)});
      return;
    }
    if (feature != nullptr && !minor_bump && feature_clause_ != nullptr)
      out.emit({.message = fmt::format("release {} follows {} with a new feature ({} '{}') but bumps only the PATCH "
                                       "version",
                                       release.tag, previous.tag, feature->short_id, feature->summary),
                .path_override = fmt::format(".git/refs/tags/{}", release.tag),
                .anchor = fmt::format("feature in {}", release.tag),
                .clause = feature_clause_});
  }

  const constitution::Clause* bound_ = nullptr;
  const constitution::Clause* feature_clause_ = nullptr;
};

}  // namespace version_bumps_check
}  // namespace

std::unique_ptr<engine::Check> make_version_bumps_check() {
  return engine::make_check<version_bumps_check::VersionBumpsCheck>();
}

}  // namespace constable::checks::workflow
