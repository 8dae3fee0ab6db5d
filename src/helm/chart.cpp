#include "helm/chart.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/files.hpp"
#include "formats/yaml/yaml.hpp"
#include "helm/values.hpp"

namespace constable::helm {

namespace fs = std::filesystem;

namespace {

// What the caller holds of a file, within the size bound a read would
// enforce (a larger file is read, and refused, as any other).
std::optional<HeldFile> held_file(const HeldFiles& held, std::string_view display) {
  if (!held) return std::nullopt;
  auto file = held(display);
  if (!file || file->text.size() > files::kDefaultMaxSize) return std::nullopt;
  return file;
}

// A chart's files are read as the repository's own files are: regular files
// inside the repository (a symlink out of it is not followed), bounded in size.
// `listed`: the chart's directory listing showed a regular file there.
// `display` is the file's workspace-relative path, which `held` is asked for.
files::Outcome<std::string> read_text(const fs::path& p, const fs::path& root, std::string display,
                                      const HeldFiles& held, bool listed = false) {
  if (const auto file = held_file(held, display)) {
    files::Outcome<std::string> outcome(std::in_place, file->text);
    files::observe_read(p, outcome);
    return outcome;
  }
  return files::read(p, {.max_size = files::kDefaultMaxSize,
                         .confine_to = root,
                         .seen_regular = listed,
                         .display = std::move(display)});
}

std::vector<std::string> string_list(const yaml::Node* n) {
  std::vector<std::string> out;
  if (n != nullptr && n->is_sequence())
    for (const auto* item : n->items)
      if (item->is_scalar()) out.emplace_back(item->value);
  return out;
}

// `templates/.?*` as filepath.Match reads it: a name under templates/ (not
// deeper) of two or more characters starting with a dot.
bool is_ignored_by_default(std::string_view rel) {
  constexpr std::string_view kTemplates = "templates/";
  if (!rel.starts_with(kTemplates)) return false;
  const std::string_view name = rel.substr(kTemplates.size());
  return name.size() >= 2 && name[0] == '.' && name.find('/') == std::string_view::npos;
}

}  // namespace

ChartDataFile::ChartDataFile(std::string name, Reader read)
    : name_(std::move(name)), state_(std::make_unique<State>()) {
  state_->reader = std::move(read);
}

ChartDataFile::ChartDataFile(std::string name, std::string content)
    : name_(std::move(name)), state_(std::make_unique<State>()) {
  state_->content.emplace(std::move(content));
  state_->read.call([] {});
}

const Result<std::string>& ChartDataFile::content() const {
  state_->read.call([this] {
    auto text = state_->reader();
    if (text)
      state_->content.emplace(std::move(*text));
    else
      state_->content.emplace(std::unexpected(std::move(text.error().error)));
    state_->reader = nullptr;  // what it held (the paths, the held texts' lookup) is not needed again
  });
  return *state_->content;
}

Result<Chart> load_chart(const fs::path& dir, std::string display_prefix, const fs::path& root,
                         const HeldFiles& held) {
  Chart chart;
  chart.display_prefix = std::move(display_prefix);
  const fs::path& confine_to = root.empty() ? dir : root;
  const auto read = [&](std::string_view name) {
    return read_text(dir / name, confine_to, chart.display_prefix + std::string(name), held);
  };
  // A file the chart may lack: absent is fine, anything else wrong with it is said.
  const auto read_optional = [&](std::string_view name) -> Result<std::optional<std::string>> {
    auto text = read(name);
    if (text) return std::optional<std::string>(std::move(*text));
    if (text.error().problem == files::Problem::missing) return std::optional<std::string>();
    return std::unexpected(std::move(text.error().error));
  };
  const auto chart_yaml = read("Chart.yaml");
  if (!chart_yaml) {
    if (chart_yaml.error().problem == files::Problem::missing)
      return fail("Chart.yaml file is missing", chart.display_prefix + "Chart.yaml");
    return std::unexpected(chart_yaml.error().error);
  }
  const auto stream = yaml::parse(*chart_yaml);
  if (!stream.ok() || stream.documents.empty() || stream.documents[0].root == nullptr ||
      !stream.documents[0].root->is_mapping()) {
    const auto mark = stream.errors.empty() ? yaml::Mark{1, 1} : stream.errors.front().mark;
    return fail(stream.errors.empty() ? "Chart.yaml is not a mapping" : stream.errors.front().message,
                chart.display_prefix + "Chart.yaml", mark.line, mark.column);
  }
  const yaml::Node* meta = stream.documents[0].root;
  chart.name = std::string(meta->get("name") ? meta->get("name")->str() : "");
  chart.version = std::string(meta->get("version") ? meta->get("version")->str() : "");
  chart.app_version = std::string(meta->get("appVersion") ? meta->get("appVersion")->str() : "");
  chart.api_version = std::string(meta->get("apiVersion") ? meta->get("apiVersion")->str() : "v1");
  chart.type = std::string(meta->get("type") ? meta->get("type")->str() : "application");
  if (chart.type.empty()) chart.type = "application";
  if (chart.name.empty())
    chart.problems.push_back(Problem{Problem::Kind::chart, "validation: chart.metadata.name is required",
                                     chart.display_prefix + "Chart.yaml", 1, 1});
  // Chart.yaml keeps its strings as strings (appVersion: 1.0 stays "1.0").
  Dict metadata;
  for (const auto& e : meta->entries) {
    if (e.key == nullptr || e.value == nullptr) continue;
    metadata[std::string(e.key->value)] =
        e.value->is_scalar() ? Value::of(std::string(e.value->value)) : value_from_yaml(e.value, nullptr);
  }
  chart.metadata = Value::of(std::move(metadata));

  // Dependencies: Chart.yaml (v2) or requirements.yaml (v1).
  const yaml::Node* deps = meta->get("dependencies");
  yaml::Stream requirements;
  if (deps == nullptr) {
    auto req = read_optional("requirements.yaml");
    if (!req) chart.problems.push_back(Problem{Problem::Kind::chart, req.error().message, req.error().path, 0, 0});
    if (req && *req) {
      requirements = yaml::parse(**req);
      if (!requirements.documents.empty() && requirements.documents[0].root != nullptr)
        deps = requirements.documents[0].root->get("dependencies");
    }
  }
  if (deps != nullptr && deps->is_sequence()) {
    for (const auto* d : deps->items) {
      if (!d->is_mapping()) continue;
      Dependency dep;
      auto str = [&](const char* key) { return std::string(d->get(key) ? d->get(key)->str() : ""); };
      dep.name = str("name");
      dep.version = str("version");
      dep.repository = str("repository");
      dep.condition = str("condition");
      dep.alias = str("alias");
      dep.tags = string_list(d->get("tags"));
      chart.dependencies.push_back(std::move(dep));
    }
  }

  // Rendered without its values, a chart would only produce misleading findings.
  // A held values.yaml is the text read below, and may come parsed.
  const auto held_values = held_file(held, chart.display_prefix + "values.yaml");
  auto values = read_optional("values.yaml");
  if (!values)
    return fail(fmt::format("{}; the chart is not rendered", values.error().message), values.error().path);
  if (*values) {
    chart.values_text = std::move(**values);
    chart.has_values_file = true;
    // The held YAML is of the text without a byte order mark: its columns
    // on the first line would not be those of values_text.
    if (held_values && held_values->yaml != nullptr && !held_values->text.starts_with("\xEF\xBB\xBF"))
      chart.values_yaml = held_values->yaml;
  }
  auto schema = read_optional("values.schema.json");
  if (!schema) chart.problems.push_back(Problem{Problem::Kind::chart, schema.error().message, schema.error().path, 0, 0});
  if (schema && *schema) chart.schema_text = std::move(**schema);

  std::error_code ec;
  std::vector<fs::path> entries;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; it != end;
       it.increment(ec)) {
    if (ec) break;
    // The walk spells every path as `dir` followed by the rest.
    const fs::path rel = it->path().lexically_relative(dir);
    const std::string rel_s = rel.generic_string();
    if (rel_s == "charts" || rel_s.starts_with("charts/")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink()) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;  // symlinks are not followed
    }
    // Helm's loader always ignores dot files directly under templates/ (its
    // default .helmignore rule `templates/.?*`), directories included.
    if (is_ignored_by_default(rel_s)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    const auto first = rel.begin()->string();
    if (first == ".git") continue;
    const bool is_template = rel_s.starts_with("templates/");
    if (!is_template && (rel_s == "Chart.yaml" || rel_s == "values.yaml" || rel_s == "values.schema.json" ||
                         rel_s == "requirements.yaml" || rel_s == "requirements.lock" || rel_s == "Chart.lock"))
      continue;
    // A file too large to read is said now, as when every file was read here.
    const bool read_now = is_template || it->file_size(ec) > files::kDefaultMaxSize;
    std::string display = chart.display_prefix + rel_s;
    if (!read_now) {
      chart.files.emplace_back(rel_s, [path = it->path(), confine_to, display = std::move(display), held] {
        return read_text(path, confine_to, display, held, true);
      });
      continue;
    }
    auto text = read_text(it->path(), confine_to, std::move(display), held, true);
    if (!text) {
      chart.problems.push_back(
          Problem{Problem::Kind::chart, text.error().error.message, text.error().error.path, 0, 0});
      continue;
    }
    if (is_template)
      chart.templates.push_back(ChartFile{rel_s, std::move(*text)});
    else
      chart.files.emplace_back(rel_s, std::move(*text));
  }
  std::sort(chart.templates.begin(), chart.templates.end(),
            [](const ChartFile& a, const ChartFile& b) { return a.name < b.name; });
  std::sort(chart.files.begin(), chart.files.end(),
            [](const ChartDataFile& a, const ChartDataFile& b) { return a.name() < b.name(); });

  // Subcharts.
  std::vector<fs::path> subdirs;
  if (fs::is_directory(dir / "charts", ec))
    for (const auto& e : fs::directory_iterator(dir / "charts", ec)) {
      if (e.is_directory() && !e.is_symlink()) subdirs.push_back(e.path());
      else if (e.path().extension() == ".tgz" || e.path().string().ends_with(".tar.gz"))
        chart.archived_subcharts.push_back(chart.display_prefix + "charts/" + e.path().filename().string());
    }
  std::sort(subdirs.begin(), subdirs.end());
  std::sort(chart.archived_subcharts.begin(), chart.archived_subcharts.end());
  for (const auto& sub : subdirs) {
    auto loaded =
        load_chart(sub, chart.display_prefix + "charts/" + sub.filename().string() + "/", confine_to, held);
    if (!loaded) {
      chart.problems.push_back(Problem{Problem::Kind::chart, loaded.error().message, loaded.error().path,
                                       loaded.error().line, loaded.error().column});
      continue;
    }
    chart.subcharts.push_back(std::move(*loaded));
  }
  return chart;
}

}  // namespace constable::helm
