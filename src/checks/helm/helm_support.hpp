#pragma once
// What the Helm chart checks share: finding charts in the workspace, reading
// their files (repository-scope checks read files themselves), parsing YAML
// with positions, the place a chart-level finding points at, and SemVer.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "engine/check.hpp"
#include "formats/yaml/yaml.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::helm {

// A chart: a directory holding a Chart.yaml (the only name Helm's loader reads).
struct Chart {
  std::string dir;                             // "charts/web/", "" for a chart at the root
  const workspace::File* chart_file = nullptr;  // its Chart.yaml
  std::string name() const;                    // the directory's name ("web"), or "." at the root
};

// Every chart of the workspace, in path order.
std::vector<Chart> find_charts(const workspace::Workspace& workspace);

// Every chart's values.yaml, the file the values checks parse first.
std::vector<const workspace::File*> default_values_files(const workspace::Workspace& workspace);

// The workspace file at `path` (relative, '/'-separated), or null.
const workspace::File* find_file(const workspace::Workspace& workspace, std::string_view path);
// The files whose path starts with `dir` ("charts/web/templates/"), in path order.
std::span<const workspace::File> files_under(const workspace::Workspace& workspace, std::string_view dir);

// A file's text as the run read it (BOM stripped, once for every check), or
// null when it cannot be read or is binary.
const std::string* read_text(const engine::RepositoryContext& repo, const workspace::File& file);

// A YAML file as the run read and parsed it (once, for every check), with
// its raw lines for comment lookups.
struct YamlFile {
  const std::string* text = nullptr;  // owned by the run (RepositoryContext)
  const yaml::Stream* stream = nullptr;
  std::vector<std::string_view> lines() const;
  // The first document's root, or null when empty or unparsable.
  const yaml::Node* root() const;
  // The first fatal parse error, or null.
  const yaml::ParseError* error() const;
};
// `file` as the run read and parsed it; nullopt when it cannot be read or is binary.
std::optional<YamlFile> load_yaml(const engine::RepositoryContext& repo, const workspace::File& file);

// Chart metadata (Chart.yaml) of a chart.
struct ChartMetadata {
  YamlFile yaml;
  // The `type: library` charts render no manifests: notes, tests and the
  // application layout do not apply to them.
  bool is_library() const;
};
std::optional<ChartMetadata> load_metadata(const engine::RepositoryContext& repo, const Chart& chart);

// Where a finding about a whole chart (a missing file, no tests) points: the
// `name:` key of its Chart.yaml, or the first key, or line 1. A real line, so
// that a reader (and a fixture's `# expect:` comment) can point at it.
SourceRange chart_anchor(const YamlFile* chart_yaml);

// The range a node spans (1-based lines, byte columns, end exclusive).
SourceRange node_range(const yaml::Node& node);
// A range over `length` bytes at 1-based `line`, 1-based byte `column`.
SourceRange span_at(int line, int column, int length);

// SemVer 2.0.0 (semver.org's grammar), without a leading 'v'.
bool is_semver(std::string_view version);
// Precedence of two SemVer versions (negative, zero, positive); both must pass is_semver.
int compare_semver(std::string_view a, std::string_view b);
// "v1.2.3" -> "1.2.3"; anything else unchanged.
std::string_view strip_v(std::string_view version);

}  // namespace constable::checks::helm
