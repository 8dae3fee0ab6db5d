#include "checks/helm/helm_support.hpp"

#include <re2/re2.h>

#include <algorithm>

#include "core/text.hpp"

namespace constable::checks::helm {

namespace {

}  // namespace

std::string Chart::name() const {
  if (dir.empty()) return ".";
  const std::string_view trimmed = std::string_view(dir).substr(0, dir.size() - 1);
  return std::string(text::basename(trimmed));
}

std::vector<Chart> find_charts(const workspace::Workspace& workspace) {
  std::vector<Chart> charts;
  for (const auto& file : workspace.files) {
    if (text::basename(file.path) != "Chart.yaml") continue;
    charts.push_back({file.path.substr(0, file.path.size() - std::string_view("Chart.yaml").size()), &file});
  }
  return charts;
}

std::vector<const workspace::File*> default_values_files(const workspace::Workspace& workspace) {
  std::vector<const workspace::File*> files;
  for (const Chart& chart : find_charts(workspace))
    if (const workspace::File* values = find_file(workspace, chart.dir + "values.yaml")) files.push_back(values);
  return files;
}

const workspace::File* find_file(const workspace::Workspace& workspace, std::string_view path) {
  const auto it = std::lower_bound(workspace.files.begin(), workspace.files.end(), path,
                                   [](const workspace::File& f, std::string_view p) { return f.path < p; });
  return it != workspace.files.end() && it->path == path ? &*it : nullptr;
}

std::span<const workspace::File> files_under(const workspace::Workspace& workspace, std::string_view dir) {
  const auto& files = workspace.files;
  const auto first = std::lower_bound(files.begin(), files.end(), dir,
                                      [](const workspace::File& f, std::string_view p) { return f.path < p; });
  auto last = first;
  while (last != files.end() && std::string_view(last->path).starts_with(dir)) ++last;
  return {first, last};
}

const std::string* read_text(const engine::RepositoryContext& repo, const workspace::File& file) {
  const std::string* content = repo.text(file);
  return content == nullptr || text::looks_binary(*content) ? nullptr : content;
}

std::vector<std::string_view> YamlFile::lines() const { return text::split_lines(*text); }

const yaml::Node* YamlFile::root() const {
  return stream->documents.empty() ? nullptr : stream->documents.front().root;
}

const yaml::ParseError* YamlFile::error() const {
  for (const auto& error : stream->errors)
    if (error.fatal) return &error;
  return nullptr;
}

std::optional<YamlFile> load_yaml(const engine::RepositoryContext& repo, const workspace::File& file) {
  const std::string* content = repo.text(file);
  if (content == nullptr || text::looks_binary(*content)) return std::nullopt;
  return YamlFile{content, repo.yaml(file)};
}

bool ChartMetadata::is_library() const {
  const yaml::Node* root = yaml.root();
  const yaml::Node* type = root != nullptr ? root->get("type") : nullptr;
  return type != nullptr && text::iequals(type->str(), "library");
}

std::optional<ChartMetadata> load_metadata(const engine::RepositoryContext& repo, const Chart& chart) {
  auto yaml = load_yaml(repo, *chart.chart_file);
  if (!yaml) return std::nullopt;
  return ChartMetadata{std::move(*yaml)};
}

SourceRange node_range(const yaml::Node& node) {
  return {node.start.line, node.start.column, node.end.line, node.end.column};
}

SourceRange span_at(int line, int column, int length) { return {line, column, line, column + length}; }

SourceRange chart_anchor(const YamlFile* chart_yaml) {
  const yaml::Node* root = chart_yaml != nullptr ? chart_yaml->root() : nullptr;
  if (root == nullptr || !root->is_mapping() || root->entries.empty()) return SourceRange::at_line(1);
  const yaml::Entry* name = root->find("name");
  return node_range(*(name != nullptr ? name->key : root->entries.front().key));
}

bool is_semver(std::string_view version) {
  static const RE2 kSemver(
      R"((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))"
      R"((?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?)"
      R"((?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?)");
  return RE2::FullMatch(re2::StringPiece(version.data(), version.size()), kSemver);
}

namespace {

// Numeric identifiers compare numerically and below alphanumeric ones (semver.org §11).
int compare_identifier(std::string_view a, std::string_view b) {
  const auto numeric = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const bool na = numeric(a), nb = numeric(b);
  if (na && nb) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;  // no leading zeros in SemVer
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  if (na != nb) return na ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

}  // namespace

int compare_semver(std::string_view a, std::string_view b) {
  const auto without_build = [](std::string_view v) { return v.substr(0, v.find('+')); };
  a = without_build(a);
  b = without_build(b);
  const auto split_pre = [](std::string_view v) {
    const auto dash = v.find('-');
    return std::pair{v.substr(0, dash), dash == std::string_view::npos ? std::string_view{} : v.substr(dash + 1)};
  };
  const auto [core_a, pre_a] = split_pre(a);
  const auto [core_b, pre_b] = split_pre(b);
  const auto parts_a = text::split(core_a, '.');
  const auto parts_b = text::split(core_b, '.');
  for (std::size_t i = 0; i < 3 && i < parts_a.size() && i < parts_b.size(); ++i)
    if (const int c = compare_identifier(parts_a[i], parts_b[i]); c != 0) return c;
  if (pre_a.empty() || pre_b.empty()) return pre_a.empty() == pre_b.empty() ? 0 : (pre_a.empty() ? 1 : -1);
  const auto ids_a = text::split(pre_a, '.');
  const auto ids_b = text::split(pre_b, '.');
  for (std::size_t i = 0; i < ids_a.size() && i < ids_b.size(); ++i)
    if (const int c = compare_identifier(ids_a[i], ids_b[i]); c != 0) return c;
  return ids_a.size() == ids_b.size() ? 0 : (ids_a.size() < ids_b.size() ? -1 : 1);
}

std::string_view strip_v(std::string_view version) {
  if (version.size() > 1 && (version[0] == 'v' || version[0] == 'V') && version[1] >= '0' && version[1] <= '9')
    version.remove_prefix(1);
  return version;
}

}  // namespace constable::checks::helm
