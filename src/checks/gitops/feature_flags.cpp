// gitops/feature-flags: "Feature flags MUST control feature rollout". A
// service that ships code uses a feature flag library or service, so that a
// feature is turned on for some users, and off again, without a deployment.

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "checks/gitops/gitops_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::gitops {

namespace {
namespace feature_flags_check {

constexpr engine::CheckInfo kInfo{
    .id = "gitops/feature-flags",
    .domain = "gitops",
    .nature = Nature::reliability,
    .summary = "Roll features out behind a feature flag library or service",
    .rationale =
        "A flag separates releasing a feature from deploying it: the code ships dark, is turned on for a "
        "share of users, and is turned off again in seconds when it misbehaves, without a rollback. Applies to "
        "repositories that deploy something and declare dependencies (package.json, pyproject.toml, "
        "requirements*.txt, go.mod, pom.xml, build.gradle(.kts), Cargo.toml, Gemfile, *.csproj) outside tooling "
        "directories (hack/, scripts/, tools/, ci/, docs/, tests/, examples/). Recognised in "
        "those files: OpenFeature SDKs and providers, LaunchDarkly, Unleash, Flagsmith, GrowthBook, ConfigCat, "
        "Flipt, Split, Statsig, DevCycle, Optimizely, flagd; in YAML files: an OpenFeature FeatureFlag resource "
        "(core.openfeature.dev) or a flag service's image (flagd, Unleash, Flagsmith, GrowthBook, Flipt). The "
        "finding points at the first dependency file.",
    .remediation =
        "Adopt OpenFeature with a provider (flagd, Unleash, Flagsmith, LaunchDarkly, ...) and put new features "
        "behind a flag evaluated per request, e.g. `client.getBooleanValue('new-checkout', false, context)`.",
    .bad_example = "package.json: {\"dependencies\": {\"express\": \"^4.19.0\"}}\n",
    .good_example = "package.json: {\"dependencies\": {\"express\": \"^4.19.0\", \"@openfeature/server-sdk\": \"^1.13.0\"}}\n",
    .parameters = "",
    .clause = {.section = "progressive delivery|delivery", .text = "feature flags?"},
    .file_kind = FileKind::other,
    .stack = "deploys",  // workspace::kDeploysFact
    .scope = engine::Scope::repository,
};

bool dependency_file(std::string_view path) {
  const std::string_view name = text::basename(path);
  return name == "package.json" || name == "pyproject.toml" || name == "go.mod" || name == "pom.xml" ||
         name == "build.gradle" || name == "build.gradle.kts" || name == "Cargo.toml" || name == "Gemfile" ||
         name == "Pipfile" || name.ends_with(".csproj") || (name.starts_with("requirements") && name.ends_with(".txt"));
}

// Dependencies of the repository's tooling (hack/requirements.txt beside a
// chart repository's scripts), not of an application it ships.
bool tooling(std::string_view path) {
  static const RE2 kTooling(R"((?:^|/)(hack|scripts?|tools?|ci|\.github|docs?|tests?|e2e|benchmarks?|examples?)/)");
  return RE2::PartialMatch(path, kTooling);
}

bool names_flag_library(std::string_view text) {
  static const RE2 kLibrary(
      R"((?i)openfeature|open-feature|launchdarkly|ldclient|unleash|flagsmith|growthbook|configcat|flipt|)"
      R"(splitsoftware|splitio|statsig|devcycle|optimizely|flagd)");
  return RE2::PartialMatch(text, kLibrary);
}

bool names_flag_service(std::string_view text) {
  static const RE2 kService(
      R"((?i)core\.openfeature\.dev/|image:\s*["']?\S*(open-feature/flagd|unleashorg/unleash|flagsmith/flagsmith|)"
      R"(growthbook/growthbook|flipt/flipt|flipt-io/flipt))");
  return RE2::PartialMatch(text, kService);
}

class FeatureFlagsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    // The shallowest readable dependency file; without one, nothing declares
    // code dependencies: no application this repository builds, and its
    // manifests need not be read.
    const workspace::File* anchor = nullptr;
    std::size_t anchor_depth = 0;
    for (const auto& file : repo.workspace().files) {
      if (!dependency_file(file.path) || tooling(file.path)) continue;
      const std::string* text = repo.text(file);
      if (text == nullptr) continue;
      if (names_flag_library(*text)) return;
      const std::size_t depth = static_cast<std::size_t>(std::count(file.path.begin(), file.path.end(), '/'));
      if (anchor == nullptr || depth < anchor_depth) {
        anchor = &file;
        anchor_depth = depth;
      }
    }
    if (anchor == nullptr) return;
    for (const auto& file : repo.workspace().files) {
      if (file.kind != FileKind::yaml && file.kind != FileKind::helm_template) continue;
      const std::string* text = repo.text(file);
      if (text != nullptr && names_flag_service(*text)) return;
    }
    out.report_at(anchor->path, 0,
                  "no feature flag library or service is declared (no OpenFeature, LaunchDarkly, Unleash, "
                  "Flagsmith, GrowthBook, ConfigCat, Flipt, Split, flagd or similar in the dependency files or "
                  "manifests): features roll out only by deploying");
  }
};

}  // namespace feature_flags_check
}  // namespace

std::unique_ptr<engine::Check> make_feature_flags_check() {
  return engine::make_check<feature_flags_check::FeatureFlagsCheck>();
}

}  // namespace constable::checks::gitops
