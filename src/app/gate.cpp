#include "app/gate.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "engine/baseline.hpp"
#include "engine/catalog.hpp"
#include "workspace/workspace.hpp"

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
  base_options.render_charts = false;  // charts are read from disk, not from the base revision
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

namespace constable::app {

namespace {

std::string commit_date(std::int64_t seconds) {
  return Date::from_days_since_epoch(static_cast<long>(seconds / 86400)).to_string();
}

}  // namespace

Result<void> add_history_findings(const Session& session, const git::Repository& repository,
                                  const engine::RunOptions& options, engine::RunResult& result) {
  engine::RunOptions history_options = options;
  history_options.repository_checks = false;
  history_options.render_charts = false;
  history_options.file_kind_checks = false;

  std::set<std::string> present;  // fingerprints the working tree still has
  for (const auto& f : result.findings) present.insert(f.check_id + '\0' + f.fingerprint);
  std::set<std::string> reported;
  std::vector<engine::Finding> found;

  // Blobs are checked in batches with distinct paths (findings name a path),
  // in the order history introduced them, so the first finding of a
  // fingerprint is the oldest.
  workspace::Workspace batch;
  batch.root = session.workspace.root;
  batch.stack = session.workspace.stack;
  std::map<std::string, git::Commit> introduced_by;
  std::uintmax_t batch_bytes = 0;
  std::size_t blobs = 0;
  Error failure;
  bool failed = false;
  auto flush = [&] {
    if (batch.files.empty()) return;
    auto run = engine::run(session.plan, session.constitution, session.config, batch, history_options);
    for (auto& f : run.findings) {
      if (f.check_id == engine::rules::kUnreadableFile.id || f.check_id == engine::rules::kParseError.id) continue;
      // Findings about no blob of the batch (an expired waiver in the
      // configuration) belong to the working tree's run, reported already.
      const auto introduced = introduced_by.find(f.path);
      if (introduced == introduced_by.end()) continue;
      if (!reported.insert(f.check_id + '\0' + f.fingerprint).second) continue;
      const auto& commit = introduced->second;
      const bool still_there = present.contains(f.check_id + '\0' + f.fingerprint);
      f.message += fmt::format("; introduced in commit {} by {} on {}{}", commit.short_id, commit.author.name,
                               commit_date(commit.author.time),
                               still_there ? ", still in the working tree"
                                           : ", since removed from the working tree but still in history: rotate it");
      found.push_back(std::move(f));
    }
    batch.files.clear();
    introduced_by.clear();
    batch_bytes = 0;
  };
  auto walked = repository.walk_history_blobs([&](const git::HistoryBlob& blob) {
    if (introduced_by.contains(blob.path) || batch_bytes > (64u << 20)) flush();
    auto content = repository.read_blob(blob.blob_id);
    if (!content) {
      failure = content.error();
      failed = true;
      return false;
    }
    ++blobs;
    if (content->size() > session.config.max_file_size) return true;
    workspace::File file;
    file.path = blob.path;
    file.size = content->size();
    file.kind = workspace::classify(blob.path);
    batch_bytes += content->size();
    file.content = std::move(*content);
    batch.files.push_back(std::move(file));
    introduced_by.emplace(blob.path, blob.introduced_by);
    return true;
  });
  if (!walked) return std::unexpected(walked.error());
  if (failed) return std::unexpected(failure);
  flush();
  for (auto& f : found) result.findings.push_back(std::move(f));
  std::sort(result.findings.begin(), result.findings.end(), engine::report_order);
  result.notes.push_back({".git", fmt::format("history: {} blob(s) scanned once each; {} finding(s) in history",
                                              blobs, reported.size())});
  std::sort(result.notes.begin(), result.notes.end());
  return {};
}

}  // namespace constable::app
