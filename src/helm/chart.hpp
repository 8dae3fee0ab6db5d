#pragma once
// A Helm chart read from a directory: Chart.yaml, values.yaml,
// values.schema.json, templates/, other files (for .Files) and subcharts
// under charts/ (directories; .tgz archives are listed as not rendered).
// Every path is workspace-relative: load_chart(dir, "charts/web/") makes
// "charts/web/templates/deployment.yaml".

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/once.hpp"
#include "formats/yaml/yaml.hpp"
#include "helm/value.hpp"

namespace constable::helm {

struct Problem {
  enum class Kind : std::uint8_t {
    chart,             // Chart.yaml or chart layout
    values,            // a values file or --set that does not parse
    schema,            // values.schema.json violation
    parse,             // template syntax error
    unknown_function,  // template calls a function that does not exist
    render,            // template execution error
    fail,              // `fail` / `required` message
    unsupported,       // a function or feature constable does not implement
    limit,             // depth, step or output budget exhausted
    manifest,          // rendered output is not valid YAML
    missing_dependency,  // Chart.yaml names a dependency charts/ does not hold (not vendored)
    needs_dependency,    // a template failed for want of such a dependency (its templates or values)
    unset_value,         // values.schema.json requires a value the values leave unset (null or absent): the installer's to give
  };
  Kind kind = Kind::render;
  std::string message;
  std::string file;  // workspace-relative
  int line = 0;      // 1-based, 0 unknown
  int column = 0;    // 1-based byte column, 0 unknown
  // Problems that explain a template's absence (fail, needs_dependency): the
  // template left out (workspace-relative) and why, briefly ("template
  // \"redis.fullname\"", or the chart's own `required` message).
  std::string template_file = {};
  std::string reason = {};
  // unset_value: the value's path ("policy", "auth.existingSecret").
  // missing_dependency, needs_dependency: the dependency (its name).
  std::string dependency = {};
};

struct ChartFile {
  std::string name;     // relative to the chart root: "templates/deployment.yaml"
  std::string content;
};

// A chart file other than its templates, Chart.yaml and values: one of
// Helm's .Files, read when a template first asks for it. Most never are, and
// a chart repository's READMEs, changelogs and CRDs are as large as all the
// rest of its charts.
class ChartDataFile {
 public:
  using Reader = std::function<files::Outcome<std::string>()>;
  ChartDataFile(std::string name, Reader read);
  ChartDataFile(std::string name, std::string content);  // in memory already

  const std::string& name() const { return name_; }  // relative to the chart root: "files/app.conf"
  // Read on first use, by whichever render asks first; why not when it
  // cannot be read (gone or unreadable since the chart was listed).
  const Result<std::string>& content() const;

 private:
  struct State {
    Once read;
    Reader reader;
    std::optional<Result<std::string>> content;
  };
  std::string name_;
  std::unique_ptr<State> state_;  // apart, so that the file moves (a vector of them grows)
};

struct Dependency {
  std::string name;
  std::string version;
  std::string repository;
  std::string condition;  // comma-separated value paths
  std::vector<std::string> tags;
  std::string alias;
};

struct Chart {
  std::string display_prefix;  // "charts/web/"
  std::string name;
  std::string version;
  std::string app_version;
  std::string api_version;  // v1 or v2
  std::string type;         // "application" or "library"
  bool is_library() const { return type == "library"; }
  Value metadata;           // Chart.yaml as values (for .Chart)
  std::vector<Dependency> dependencies;
  std::string values_text;  // values.yaml ("" if absent)
  bool has_values_file = false;
  // values.yaml as the caller parsed it already (HeldFile::yaml), or null:
  // the renderer then parses values_text itself.
  const yaml::Stream* values_yaml = nullptr;
  std::string schema_text;  // values.schema.json ("" if absent)
  std::vector<ChartFile> templates;  // under templates/, sorted
  std::vector<ChartDataFile> files;  // every other file (.Files), sorted
  std::vector<Chart> subcharts;      // charts/<dir>, sorted by directory
  std::vector<std::string> archived_subcharts;  // charts/*.tgz (not rendered)
  std::vector<Problem> problems;     // non-fatal load problems
};

// A chart's file the caller holds already as read from its path (the run's
// file phase read the templates and the values files): its content, and
// its YAML when the caller parsed that content too (values.yaml is then not
// parsed again to render). Null `yaml`: not parsed.
struct HeldFile {
  std::string_view text;
  const yaml::Stream* yaml = nullptr;
};
// The file held for a workspace-relative path, if any: it is then not read
// again. The chart asks for its .Files when they are used, and renders with
// a held values.yaml's YAML: the function, and what it gives, must outlive
// the chart.
using HeldFiles = std::function<std::optional<HeldFile>(std::string_view path)>;

// Reads the chart at `dir`. Fails when Chart.yaml is missing or unreadable,
// or when values.yaml exists but cannot be read (too large, not a file).
// Files are read only inside `root` (the repository; `dir` when empty): a
// symlink out of it is not followed. A file `held` gives counts as read
// (files::observe_read). Its .Files are read when a template asks for them,
// under the same rules and observed by the reading thread.
Result<Chart> load_chart(const std::filesystem::path& dir, std::string display_prefix,
                         const std::filesystem::path& root = {}, const HeldFiles& held = {});

}  // namespace constable::helm
