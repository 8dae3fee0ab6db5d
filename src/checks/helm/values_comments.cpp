// helm/values-comments: every configurable option in a chart's values.yaml
// is explained by a comment.

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"
#include "core/text.hpp"

namespace constable::checks::helm {

namespace {
namespace values_comments_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/values-comments",
    .domain = "helm",
    .nature = Nature::documentation,
    .summary = "Explain every option of a chart's values.yaml with a comment",
    .rationale = "values.yaml is the chart's interface: users override what it documents, and `helm show "
                 "values` prints the comments. The rule: every key of the top two levels (the sections and "
                 "their options) and every deeper leaf (a key whose value is a scalar, a list or an empty map) "
                 "of an undocumented section needs a comment on the line directly above it (no blank line "
                 "between) or at the end of its line; deeper sections and the leaves of a documented section "
                 "(`requests:` with `cpu` and `memory` under it) are explained by their parent's comment. A `## @param <path>` line (the "
                 "readme-generator-for-helm convention) anywhere in the file documents <path> and the sections "
                 "above it, and `## @skip <path>` exempts a subtree. Keys inside list items are the list's content, not options. A "
                 "values.yaml that does not parse is reported here.",
    .remediation = "Add a comment saying what the option does and which values it accepts, on the line above "
                   "the key (e.g. `# -- Number of pod replicas`) or at the end of its line.",
    .bad_example = "replicaCount: 1\nimage:\n  repository: nginx\n",
    .good_example = "# Number of pod replicas\nreplicaCount: 1\n# Container image\nimage:\n"
                    "  repository: nginx  # registry/repository of the image\n",
    .parameters = "",
    .clause = {.section = "helm|values", .text = R"(comments?.*(explain|document).*(option|values?))"},
    .file_kind = FileKind::other,
    .stack = "helm",
    .scope = engine::Scope::repository,
    .one_finding_per_file = true,
};

struct DocBlocks {
  // Paths named by "@param", sorted, and subtrees named by "@skip": views of
  // the file's lines. bitnami's charts have thousands of @param lines each.
  std::vector<std::string_view> params;
  std::vector<std::string_view> skipped;
  // A path named by @param, or a section with a @param for one of its options.
  bool documents(std::string_view path) const {
    const auto named = std::lower_bound(params.begin(), params.end(), path);
    if (named != params.end() && *named == path) return true;
    // The first param not before path + "." (all before `named` are).
    const auto option = std::partition_point(named, params.end(), [&](std::string_view param) {
      const std::string_view head = param.substr(0, path.size());
      if (head != path) return head < path;
      return param.size() == path.size() || param[path.size()] < '.';
    });
    return option != params.end() && option->size() > path.size() && option->starts_with(path) &&
           (*option)[path.size()] == '.';
  }
  bool skips(std::string_view path) const {
    for (const auto& skip : skipped)
      if (path.starts_with(skip) && (path.size() == skip.size() || path[skip.size()] == '.')) return true;
    return false;
  }
};

// `^\s*#+\s*@(param|skip)\s+(\S+)` read by hand: a chart documented with
// readme-generator-for-helm has one such line for every option (bitnami's
// charts, thousands each), and a regular expression per line was most of
// the check's time.
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
std::optional<std::pair<std::string_view, std::string_view>> doc_annotation(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && is_blank(line[i])) ++i;
  if (i == line.size() || line[i] != '#') return std::nullopt;
  while (i < line.size() && line[i] == '#') ++i;
  while (i < line.size() && is_blank(line[i])) ++i;
  if (i == line.size() || line[i] != '@') return std::nullopt;
  const std::string_view rest = line.substr(i + 1);
  const std::string_view kind = rest.starts_with("param") ? "param" : rest.starts_with("skip") ? "skip" : "";
  if (kind.empty()) return std::nullopt;
  std::size_t at = kind.size();
  const std::size_t blanks = at;
  while (at < rest.size() && is_blank(rest[at])) ++at;
  if (at == blanks || at == rest.size()) return std::nullopt;
  std::size_t end = at;
  while (end < rest.size() && !is_blank(rest[end])) ++end;
  return std::pair(kind, rest.substr(at, end - at));
}

DocBlocks doc_blocks(const std::vector<std::string_view>& lines) {
  DocBlocks out;
  for (std::string_view line : lines) {
    if (line.find('@') == std::string_view::npos) continue;
    const auto annotation = doc_annotation(line);
    if (!annotation) continue;
    if (annotation->first == "param") out.params.push_back(annotation->second);
    else out.skipped.push_back(annotation->second);
  }
  std::sort(out.params.begin(), out.params.end());
  return out;
}

bool is_comment_line(std::string_view line) { return text::trim(line).starts_with('#'); }

// A '#' starting a comment: at the start or after a space or tab.
bool has_trailing_comment(std::string_view rest) {
  for (std::size_t i = 0; i < rest.size(); ++i)
    if (rest[i] == '#' && (i == 0 || rest[i - 1] == ' ' || rest[i - 1] == '\t')) return true;
  return false;
}

class ValuesCommentsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  ReadAhead read_ahead(const workspace::Workspace& workspace) const override {
    return {.texts = {}, .yaml = default_values_files(workspace)};
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    for (const Chart& chart : find_charts(repo.workspace())) {
      const workspace::File* values = find_file(repo.workspace(), chart.dir + "values.yaml");
      if (values == nullptr) continue;
      const auto yaml = load_yaml(repo, *values);
      if (!yaml) continue;
      if (const yaml::ParseError* error = yaml->error()) {
        out.emit({.range = SourceRange::at_line(error->mark.line),
                  .message = fmt::format("values.yaml does not parse ({}), so its comments cannot be checked",
                                         error->message),
                  .path_override = values->path});
        continue;
      }
      const yaml::Node* root = yaml->root();
      if (root == nullptr || !root->is_mapping()) continue;
      std::vector<std::string_view> lines = yaml->lines();
      DocBlocks docs = doc_blocks(lines);
      Walk walk{std::move(lines), std::move(docs), values->path, out, {}};
      std::string key_path;
      walk.mapping(*root, key_path, 1, false);
    }
  }

 private:
  struct Walk {
    std::vector<std::string_view> lines;
    DocBlocks docs;
    std::string path;
    engine::Emitter& out;
    // An aliased mapping is checked once, where it is written (with its anchor).
    std::set<const yaml::Node*> walked;

    // `key_path` is the mapping's own path ("" for the root): each entry's
    // is appended to it in turn, and it is left as it was.
    void mapping(const yaml::Node& node, std::string& key_path, int depth, bool parent_documented) {
      if (!node.anchor().empty() && !walked.insert(&node).second) return;
      const std::size_t prefix = key_path.size();
      for (const yaml::Entry& entry : node.entries) {
        if (!entry.key->is_scalar()) continue;
        key_path.resize(prefix);
        if (prefix != 0) key_path += '.';
        key_path += entry.key->value;
        if (docs.skips(key_path) || entry.key->value == "<<") continue;
        // Entries merged in by `<<: *defaults` are written at their anchor, earlier in the file, and
        // checked there.
        if (std::pair(entry.key->start.line, entry.key->start.column) < std::pair(node.start.line, node.start.column))
          continue;
        const bool section = entry.value->is_mapping() && !entry.value->entries.empty();
        const bool needs_comment = depth <= 2 || (!section && !parent_documented);
        const bool has_comment = documented(entry, key_path);
        if (needs_comment && !has_comment)
          out.emit({.range = node_range(*entry.key),
                    .message = fmt::format("option '{}' has no comment explaining it", key_path),
                    .path_override = path});
        if (section) mapping(*entry.value, key_path, depth + 1, has_comment);
      }
      key_path.resize(prefix);
    }

    bool documented(const yaml::Entry& entry, std::string_view key_path) const {
      if (docs.documents(key_path)) return true;
      const int line = entry.key->start.line;
      if (line < 1 || static_cast<std::size_t>(line) > lines.size()) return true;  // cannot tell: do not accuse
      if (line >= 2 && is_comment_line(lines[static_cast<std::size_t>(line - 2)])) return true;
      // After the value when it ends on the key's line, else after the key (`key: |  # ...`).
      const yaml::Node& last = entry.value->end.line == line ? *entry.value : *entry.key;
      const std::string_view text = lines[static_cast<std::size_t>(line - 1)];
      const auto from = static_cast<std::size_t>(std::max(0, last.end.column - 1));
      return from <= text.size() && has_trailing_comment(text.substr(from));
    }
  };
};

}  // namespace values_comments_check
}  // namespace

std::unique_ptr<engine::Check> make_values_comments_check() {
  return engine::make_check<values_comments_check::ValuesCommentsCheck>();
}

}  // namespace constable::checks::helm
