#include "app/gate.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "engine/baseline.hpp"

namespace constable::app {

namespace {

// Keeps suppressed findings and those at `fresh` indices, in order.
void keep_only(engine::RunResult& result, const std::vector<std::size_t>& fresh) {
  const std::set<std::size_t> keep(fresh.begin(), fresh.end());
  std::vector<engine::Finding> kept;
  for (std::size_t i = 0; i < result.findings.size(); ++i)
    if (result.findings[i].suppressed() || keep.contains(i)) kept.push_back(std::move(result.findings[i]));
  result.findings = std::move(kept);
}

}  // namespace

Result<void> keep_findings_not_in_baseline(const std::filesystem::path& file, engine::RunResult& result) {
  auto baseline = engine::load_baseline(file);
  if (!baseline) return std::unexpected(baseline.error());
  const auto matching = engine::match_findings(result.findings, baseline->entries);
  const std::size_t known = std::count_if(result.findings.begin(), result.findings.end(),
                                          [](const auto& f) { return !f.suppressed(); }) -
                            matching.unmatched_current.size();
  keep_only(result, matching.unmatched_current);
  result.notes.push_back({file.string(), fmt::format("baseline: {} known finding(s) not reported, {} fixed since {}",
                                                     known, matching.unmatched_earlier.size(),
                                                     baseline->created.to_string())});
  for (std::size_t e : matching.unmatched_earlier) {
    const auto& entry = baseline->entries[e];
    result.notes.push_back({fmt::format("{}:{}", entry.path, entry.line),
                            fmt::format("fixed since the baseline: {} {}", entry.check, entry.message)});
  }
  std::sort(result.notes.begin(), result.notes.end());
  return {};
}

Result<void> keep_findings_new_since(const Session& session, const git::Repository& repository,
                                     std::string_view base, const engine::RunOptions& options,
                                     engine::RunResult& result) {
  auto deltas = repository.diff_to_workdir(base);
  if (!deltas) return std::unexpected(deltas.error());

  // Paths are relative to the repository's work tree; the workspace may be a subdirectory.
  std::error_code ec;
  const auto prefix_path = std::filesystem::relative(std::filesystem::weakly_canonical(session.workspace.root, ec),
                                                     std::filesystem::weakly_canonical(repository.workdir(), ec), ec);
  std::string prefix = prefix_path.generic_string();
  prefix = (prefix.empty() || prefix == ".") ? "" : prefix + "/";
  auto in_workspace = [&](const std::string& repo_path) -> std::optional<std::string> {
    if (!repo_path.starts_with(prefix)) return std::nullopt;
    return repo_path.substr(prefix.size());
  };

  std::set<std::string> changed;                 // workspace paths changed since base
  std::map<std::string, std::string> renames;    // old workspace path -> new
  std::map<std::string, std::vector<git::Hunk>> added_lines;
  workspace::Workspace before;
  before.root = session.workspace.root;
  before.stack = session.workspace.stack;
  for (const auto& delta : *deltas) {
    const auto new_path = in_workspace(delta.new_path);
    if (!new_path || delta.status == git::DeltaStatus::deleted) continue;
    changed.insert(*new_path);
    added_lines[*new_path] = delta.added_lines;
    const auto old_path = in_workspace(delta.old_path);
    if (!old_path || delta.old_blob.empty()) continue;  // added: nothing to compare with
    if (*old_path != *new_path) renames[*old_path] = *new_path;
    auto content = repository.read_blob(delta.old_blob);
    if (!content) return std::unexpected(content.error());
    workspace::File file;
    file.path = *old_path;
    file.size = content->size();
    file.kind = workspace::classify(*old_path);
    file.content = std::move(*content);
    before.files.push_back(std::move(file));
  }
  std::sort(before.files.begin(), before.files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });

  engine::RunOptions base_options = options;
  base_options.repository_checks = false;
  const auto earlier = engine::run(session.plan, session.constitution, session.config, before, base_options);
  std::vector<engine::BaselineEntry> earlier_entries;
  for (const auto& f : earlier.findings)
    if (!f.suppressed() && std::any_of(before.files.begin(), before.files.end(), [&](const auto& file) { return file.path == f.path; }))
      earlier_entries.push_back(engine::entry_of(f));

  std::set<std::string> workspace_paths;
  for (const auto& file : session.workspace.files) workspace_paths.insert(file.path);
  auto on_added_line = [&](const engine::Finding& f) {
    const auto it = added_lines.find(f.path);
    if (it == added_lines.end()) return false;
    for (const auto& hunk : it->second)
      if (f.range.line >= hunk.new_start && f.range.line < hunk.new_start + hunk.new_lines) return true;
    return false;
  };

  // Candidates: findings in changed files, those on unchanged lines first so
  // that they, not the added ones, pair with identical earlier findings.
  std::vector<std::size_t> order;
  std::vector<std::size_t> fresh;
  for (std::size_t i = 0; i < result.findings.size(); ++i) {
    const auto& f = result.findings[i];
    if (f.suppressed()) continue;
    if (!workspace_paths.contains(f.path)) fresh.push_back(i);  // commits, branches: about the change itself
    else if (changed.contains(f.path)) order.push_back(i);
  }
  std::stable_partition(order.begin(), order.end(), [&](std::size_t i) { return !on_added_line(result.findings[i]); });
  std::vector<engine::Finding> candidates;
  for (std::size_t i : order) candidates.push_back(result.findings[i]);
  const auto matching = engine::match_findings(candidates, earlier_entries, renames);
  for (std::size_t c : matching.unmatched_current) fresh.push_back(order[c]);
  keep_only(result, fresh);
  result.notes.push_back({std::string(base), fmt::format("diff: {} changed file(s) checked against {}; findings "
                                                         "that were already there are not reported",
                                                         changed.size(), base)});
  std::sort(result.notes.begin(), result.notes.end());
  return {};
}

}  // namespace constable::app
