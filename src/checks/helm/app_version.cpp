// helm/app-version: Chart.yaml's appVersion is the version of the application
// the chart deploys, as the application itself declares it.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"
#include "core/text.hpp"
#include "git/repository.hpp"

namespace constable::checks::helm {

namespace {
namespace app_version_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/app-version",
    .domain = "helm",
    .nature = Nature::maintainability,
    .summary = "Keep Chart.yaml's appVersion equal to the application's version",
    .rationale = "appVersion is what `helm list` and dashboards show as the deployed application version, and "
                 "charts often default the image tag to it; when it drifts from the application's own version "
                 "nobody can tell what is running. The application's version is looked for in the chart's "
                 "directory and each directory above it up to the repository root, in each: package.json "
                 "`version`, pyproject.toml `[project] version` or `[tool.poetry] version`, a VERSION file; "
                 "failing those, the highest SemVer git tag. A leading 'v' is ignored on both sides. When no "
                 "application version is found the check says nothing.",
    .remediation = "Set `appVersion:` in Chart.yaml to the application's version (quote it: appVersion: "
                   "\"1.4.0\"), ideally from the release pipeline that bumps the application.",
    .bad_example = "# package.json: \"version\": \"1.4.0\"\napiVersion: v2\nname: web\nversion: 0.3.0\n"
                   "appVersion: \"1.3.2\"\n",
    .good_example = "# package.json: \"version\": \"1.4.0\"\napiVersion: v2\nname: web\nversion: 0.3.0\n"
                    "appVersion: \"1.4.0\"\n",
    .parameters = "",
    .clause = {.section = "helm|chart", .text = R"(app(lication)? ?version.*(match|equal|same))"},
    .file_kind = FileKind::other,
    .stack = "helm",
    .scope = engine::Scope::repository,
};

struct AppVersion {
  std::string version;
  std::string source;  // "services/web/package.json", "git tag v1.4.0"
};

std::optional<std::string> package_json_version(std::string_view content) {
  const auto json = nlohmann::json::parse(content, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  const auto it = json.find("version");
  if (it == json.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

// The string value of `key = "..."` (or '...') on a TOML line, else nullopt.
std::optional<std::string> toml_string_value(std::string_view line, std::string_view key) {
  line = text::trim(line);
  if (!line.starts_with(key)) return std::nullopt;
  std::string_view rest = text::trim(line.substr(key.size()));
  if (!rest.starts_with('=')) return std::nullopt;
  rest = text::trim(rest.substr(1));
  if (rest.empty() || (rest[0] != '"' && rest[0] != '\'')) return std::nullopt;
  const char quote = rest[0];
  const auto close = rest.find(quote, 1);
  if (close == std::string_view::npos) return std::nullopt;
  return std::string(rest.substr(1, close - 1));
}

// Just enough TOML for `[project] version` (PEP 621) and `[tool.poetry] version`.
std::optional<std::string> pyproject_version(std::string_view content) {
  std::optional<std::string> project, poetry;
  std::string table;
  for (std::string_view line : text::split_lines(content)) {
    const std::string_view trimmed = text::trim(line);
    if (trimmed.starts_with('[')) {
      const auto close = trimmed.find(']');
      table = close == std::string_view::npos ? "" : std::string(text::trim(trimmed.substr(1, close - 1)));
      if (trimmed.starts_with("[[")) table.clear();  // arrays of tables hold no version we want
      continue;
    }
    if (table != "project" && table != "tool.poetry") continue;
    auto value = toml_string_value(trimmed, "version");
    if (!value) continue;
    (table == "project" ? project : poetry) = std::move(value);
  }
  return project ? project : poetry;
}

std::optional<std::string> version_file_version(std::string_view content) {
  for (std::string_view line : text::split_lines(content)) {
    line = text::trim(line);
    if (line.empty()) continue;
    if (line.size() > 64 || line.find(' ') != std::string_view::npos) return std::nullopt;
    return std::string(line);
  }
  return std::nullopt;
}

std::optional<AppVersion> version_in(const engine::RepositoryContext& repo, const std::string& dir) {
  struct Source {
    std::string_view name;
    std::optional<std::string> (*read)(std::string_view);
  };
  static constexpr Source kSources[] = {
      {"package.json", &package_json_version},
      {"pyproject.toml", &pyproject_version},
      {"VERSION", &version_file_version},
  };
  for (const Source& source : kSources) {
    const workspace::File* file = find_file(repo.workspace(), dir + std::string(source.name));
    if (file == nullptr) continue;
    const std::string* content = read_text(repo, *file);
    if (!content) continue;
    if (auto version = source.read(*content)) return AppVersion{std::move(*version), file->path};
  }
  return std::nullopt;
}

std::optional<AppVersion> latest_tag(const git::Repository* repository) {
  if (repository == nullptr) return std::nullopt;
  const auto& tags = repository->tags();
  if (!tags) return std::nullopt;
  std::optional<std::string> best;
  for (const std::string& tag : *tags) {
    if (!is_semver(strip_v(tag))) continue;
    if (!best || compare_semver(strip_v(tag), strip_v(*best)) > 0) best = tag;
  }
  if (!best) return std::nullopt;
  return AppVersion{*best, fmt::format("git tag {}", *best)};
}

// The repository's latest SemVer tag, listed once however many charts fall back to it.
class LatestTag {
 public:
  explicit LatestTag(const git::Repository* repository) : repository_(repository) {}
  const std::optional<AppVersion>& get() {
    if (!found_) found_ = latest_tag(repository_);
    return *found_;
  }

 private:
  const git::Repository* repository_;
  std::optional<std::optional<AppVersion>> found_;
};

// The chart's directory, then each one above it, up to the root ("").
std::optional<AppVersion> application_version(const engine::RepositoryContext& repo, const Chart& chart,
                                              LatestTag& latest) {
  std::string dir = chart.dir;
  while (true) {
    if (auto found = version_in(repo, dir)) return found;
    if (dir.empty()) break;
    dir.pop_back();  // the trailing '/'
    const auto slash = dir.rfind('/');
    dir = slash == std::string::npos ? "" : dir.substr(0, slash + 1);
  }
  return latest.get();
}

class AppVersionCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    LatestTag latest(repo.repository());
    for (const Chart& chart : find_charts(repo.workspace())) {
      const auto metadata = load_metadata(repo, chart);
      if (!metadata || metadata->yaml.root() == nullptr || !metadata->yaml.root()->is_mapping()) continue;
      const auto application = application_version(repo, chart, latest);
      if (!application) continue;
      const yaml::Node* app_version = metadata->yaml.root()->get("appVersion");
      if (app_version == nullptr || app_version->is_null() || !app_version->is_scalar()) {
        out.emit({.range = chart_anchor(&metadata->yaml),
                  .message = fmt::format("chart '{}' has no appVersion; the application is at {} ({})",
                                         chart.name(), application->version, application->source),
                  .path_override = chart.chart_file->path});
        continue;
      }
      if (strip_v(app_version->value) == strip_v(application->version)) continue;
      out.emit({.range = node_range(*app_version),
                .message = fmt::format("appVersion '{}' does not match the application version {} ({})",
                                       app_version->value, application->version, application->source),
                .path_override = chart.chart_file->path});
    }
  }
};

}  // namespace app_version_check
}  // namespace

std::unique_ptr<engine::Check> make_app_version_check() {
  return engine::make_check<app_version_check::AppVersionCheck>();
}

}  // namespace constable::checks::helm
