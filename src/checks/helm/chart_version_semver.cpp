// helm/chart-version-semver: Chart.yaml's `version` is a SemVer 2.0.0 version.

#include <fmt/format.h>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"

namespace constable::checks::helm {

namespace {
namespace chart_version_semver_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/chart-version-semver",
    .domain = "helm",
    .nature = Nature::maintainability,
    .summary = "Give every chart a SemVer 2.0.0 version (MAJOR.MINOR.PATCH) in Chart.yaml",
    .rationale = "Helm orders chart releases, resolves dependency ranges and names packages "
                 "(web-1.4.0.tgz, OCI tags) by the chart version; Helm's documentation requires SemVer 2. "
                 "Helm's parser tolerates a leading 'v' and short forms such as 1.2, but they sort and "
                 "package differently (web-v1.4.0.tgz) and are not SemVer, so they are reported. A Chart.yaml "
                 "that does not parse is reported here too: its version cannot be read.",
    .remediation = "Set `version:` to MAJOR.MINOR.PATCH (optionally -prerelease and +build), e.g. "
                   "`version: 1.4.0`, and bump it on every chart change.",
    .bad_example = "apiVersion: v2\nname: web\nversion: v1.4\n",
    .good_example = "apiVersion: v2\nname: web\nversion: 1.4.0\n",
    .parameters = "",
    .clause = {.section = "helm|chart", .text = R"(chart version.*semver|chart version.*semantic)"},
    .file_kind = FileKind::other,
    .stack = "helm",
    .scope = engine::Scope::repository,
};

class ChartVersionSemverCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    for (const Chart& chart : find_charts(repo.workspace())) {
      const auto metadata = load_metadata(repo, chart);
      if (!metadata) continue;
      const auto report = [&](SourceRange range, std::string message) {
        out.emit({.range = range, .message = std::move(message), .path_override = chart.chart_file->path});
      };
      if (const yaml::ParseError* error = metadata->yaml.error()) {
        report(SourceRange::at_line(error->mark.line),
               fmt::format("Chart.yaml does not parse ({}), so its version cannot be checked", error->message));
        continue;
      }
      const yaml::Node* root = metadata->yaml.root();
      const yaml::Entry* entry = root != nullptr && root->is_mapping() ? root->find("version") : nullptr;
      if (entry == nullptr || entry->value->is_null()) {
        report(chart_anchor(&metadata->yaml), fmt::format("chart '{}' has no version", chart.name()));
        continue;
      }
      const yaml::Node& value = *entry->value;
      if (!value.is_scalar()) {
        report(node_range(value), "the chart version is not a scalar");
        continue;
      }
      if (is_semver(value.value)) continue;
      if (is_semver(strip_v(value.value))) {
        report(node_range(value), fmt::format("chart version '{}' has a leading 'v'; SemVer is '{}'", value.value,
                                              strip_v(value.value)));
      } else {
        report(node_range(value),
               fmt::format("chart version '{}' is not SemVer 2.0.0 (MAJOR.MINOR.PATCH)", value.value));
      }
    }
  }
};

}  // namespace chart_version_semver_check
}  // namespace

std::unique_ptr<engine::Check> make_chart_version_semver_check() {
  return engine::make_check<chart_version_semver_check::ChartVersionSemverCheck>();
}

}  // namespace constable::checks::helm
