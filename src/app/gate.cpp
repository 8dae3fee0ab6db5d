#include "app/gate.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "engine/baseline.hpp"
#include "engine/catalog.hpp"
#include "workspace/workspace.hpp"

namespace constable::app {

namespace {

// A git object --diff or --history cannot read (damaged or missing), as a
// constable/unreadable-file finding: on the file it holds when known, else
// on .git. The run goes on without it.
engine::Finding unreadable_object(const Session& session, const engine::RunOptions& options, std::string path,
                                  std::string message) {
  return engine::engine_finding(engine::rules::kUnreadableFile, session.constitution, session.config, options,
                                path.empty() ? ".git" : std::move(path), SourceRange::whole_file(),
                                std::move(message),
                                "Repair the repository: `git fsck --full` names the damaged or missing objects; fetch "
                                "them again from a clone that has them.");
}

std::string short_id(std::string_view id) { return std::string(id.substr(0, 7)); }

// Keeps suppressed findings and those at `fresh` indices, in order.
void keep_only(engine::RunResult& result, const std::vector<std::size_t>& fresh) {
  const std::set<std::size_t> keep(fresh.begin(), fresh.end());
  std::vector<engine::Finding> kept;
  for (std::size_t i = 0; i < result.findings.size(); ++i)
    if (result.findings[i].suppressed() || keep.contains(i)) kept.push_back(std::move(result.findings[i]));
  result.findings = std::move(kept);
}

}  // namespace

Result<void> keep_findings_not_in_baseline(const std::filesystem::path& file, engine::RunResult& result,
                                           const std::set<std::string>* report_only) {
  auto baseline = engine::load_baseline(file);
  if (!baseline) return std::unexpected(baseline.error());
  auto matching = engine::match_findings(result.findings, baseline->entries);
  if (report_only != nullptr)
    std::erase_if(matching.unmatched_earlier,
                  [&](std::size_t e) { return !report_only->contains(baseline->entries[e].path); });
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
  // A revision that does not resolve is the caller's mistake; objects that
  // cannot be read behind it are findings.
  if (auto resolved = repository.resolve(base); !base.empty() && !resolved) return std::unexpected(resolved.error());
  std::vector<git::UnreadableObject> unreadable;
  auto deltas = repository.diff_to_workdir(base, [&](const git::UnreadableObject& o) { unreadable.push_back(o); });
  if (!deltas) {
    // Nothing to compare with: every finding is reported, and why.
    result.findings.push_back(unreadable_object(
        session, options, ".git",
        fmt::format("cannot read revision {} to compare with: {}; every finding is reported as new", base,
                    deltas.error().message)));
    std::sort(result.findings.begin(), result.findings.end(), engine::report_order);
    return {};
  }

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

  std::vector<engine::Finding> unreadable_findings;
  for (const auto& o : unreadable) {
    const auto path = in_workspace(o.path);
    unreadable_findings.push_back(unreadable_object(
        session, options, path.value_or(""),
        fmt::format("cannot read {} at {}{}: {}; its findings are reported as new",
                    o.path.empty() ? "an object" : "this file", base,
                    o.object_id.empty() ? "" : " (blob " + short_id(o.object_id) + ")", o.reason)));
  }

  std::set<std::string> changed;                 // workspace paths changed since base
  std::map<std::string, std::string> renames;    // old workspace path -> new
  std::map<std::string, std::vector<git::Hunk>> added_lines;
  workspace::Workspace before;
  before.root = session.workspace.root;
  before.stack = session.workspace.stack;
  std::set<std::string> base_only_changed;  // what the base's file phase reads: old versions of changed files
  for (const auto& delta : *deltas) {
    if (delta.status == git::DeltaStatus::deleted) {
      // Gone from the working tree, but part of the base for repository checks.
      const auto old_path = in_workspace(delta.old_path);
      if (!old_path || delta.old_blob.empty()) continue;
      auto content = repository.read_blob(delta.old_blob);
      if (!content) continue;  // the base then lacks it: repository findings about it may look new
      workspace::File file;
      file.path = *old_path;
      file.size = content->size();
      file.kind = workspace::classify(*old_path);
      file.content = std::move(*content);
      before.files.push_back(std::move(file));
      continue;
    }
    const auto new_path = in_workspace(delta.new_path);
    if (!new_path) continue;
    if (session.workspace.is_set_aside(*new_path)) continue;  // not the project's own: judged in neither tree
    changed.insert(*new_path);
    added_lines[*new_path] = delta.added_lines;
    const auto old_path = in_workspace(delta.old_path);
    if (!old_path || delta.old_blob.empty()) continue;  // added: nothing to compare with
    if (*old_path != *new_path) renames[*old_path] = *new_path;
    auto content = repository.read_blob(delta.old_blob);
    if (!content) {
      // Nothing to compare with: every finding in the file is new.
      unreadable_findings.push_back(unreadable_object(
          session, options, *new_path,
          fmt::format("cannot read this file at {} (blob {}): {}; its findings are reported as new", base,
                      short_id(delta.old_blob), content.error().message)));
      added_lines[*new_path] = {git::Hunk{1, std::numeric_limits<int>::max()}};
      renames.erase(*old_path);
      continue;
    }
    workspace::File file;
    file.path = *old_path;
    file.size = content->size();
    file.kind = workspace::classify(*old_path);
    file.content = std::move(*content);
    base_only_changed.insert(file.path);
    before.files.push_back(std::move(file));
  }
  // The rest of the base is the working tree's unchanged files, read from
  // disk: repository checks judge the whole base, so that a finding about
  // the repository (a missing document, a CI stage) counts as new only when
  // the change brought it.
  for (const auto& file : session.workspace.files)
    if (!changed.contains(file.path)) before.files.push_back(file);
  std::sort(before.files.begin(), before.files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  before.files.erase(std::unique(before.files.begin(), before.files.end(),
                                 [](const auto& a, const auto& b) { return a.path == b.path; }),
                     before.files.end());

  engine::RunOptions base_options = options;
  // The repository stays, for what the base reads from it as the head does
  // (tags: the application version, the tag convention); the commit range
  // is the change's own and is not checked at the base.
  base_options.git = {};
  base_options.render_charts = false;  // charts are read from disk, not from the base revision
  base_options.file_phase_only = &base_only_changed;  // unchanged files' own findings are the same by construction
  const auto earlier = engine::run(session.plan, session.constitution, session.config, before, base_options);
  std::vector<engine::BaselineEntry> earlier_entries;
  for (const auto& f : earlier.findings)
    if (!f.suppressed()) earlier_entries.push_back(engine::entry_of(f));

  std::set<std::string> workspace_paths;
  for (const auto& file : session.workspace.files) workspace_paths.insert(file.path);
  // Findings of repository checks are compared wherever they point; those of
  // the commit and branch checks are about the change itself. Tags are the
  // repository's: a pull request does not make them.
  auto is_repository_finding = [](const engine::Finding& f) {
    const engine::CheckInfo* info = engine::Catalog::builtin().find(f.check_id);
    return info != nullptr && info->scope == engine::Scope::repository;
  };
  auto about_the_change = [](const engine::Finding& f) {
    return f.check_id.starts_with("git/") && f.check_id != "git/semver-tags";
  };
  auto on_added_line = [&](const engine::Finding& f) {
    const auto it = added_lines.find(f.path);
    if (it == added_lines.end()) return false;
    for (const auto& hunk : it->second)
      // A whole new file is one hunk of INT_MAX lines: compare offsets, never a sum.
      if (f.range.line >= hunk.new_start && f.range.line - hunk.new_start < hunk.new_lines) return true;
    return false;
  };

  // Candidates: findings in changed files, about the repository or outside
  // any file; those on unchanged lines first so that they, not the added
  // ones, pair with identical earlier findings.
  std::vector<std::size_t> order;
  std::vector<std::size_t> fresh;
  for (std::size_t i = 0; i < result.findings.size(); ++i) {
    const auto& f = result.findings[i];
    if (f.suppressed()) continue;
    if (about_the_change(f))
      fresh.push_back(i);
    else if (changed.contains(f.path) || !workspace_paths.contains(f.path) || is_repository_finding(f))
      order.push_back(i);
  }
  std::stable_partition(order.begin(), order.end(), [&](std::size_t i) { return !on_added_line(result.findings[i]); });
  std::vector<engine::Finding> candidates;
  for (std::size_t i : order) candidates.push_back(result.findings[i]);
  const auto matching = engine::match_findings(candidates, earlier_entries, renames);
  for (std::size_t c : matching.unmatched_current) fresh.push_back(order[c]);
  keep_only(result, fresh);
  for (auto& f : unreadable_findings) result.findings.push_back(std::move(f));
  std::sort(result.findings.begin(), result.findings.end(), engine::report_order);
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
  std::size_t unreadable = 0;
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
  auto visit = [&](const git::HistoryBlob& blob) {
    if (introduced_by.contains(blob.path) || batch_bytes > (64u << 20)) flush();
    // Too large to check: skipped before it is read.
    if (const auto size = repository.blob_size(blob.blob_id); size && *size > session.config.max_file_size) return true;
    auto content = repository.read_blob(blob.blob_id);
    if (!content) {
      ++unreadable;
      const auto& commit = blob.introduced_by;
      found.push_back(unreadable_object(
          session, history_options, blob.path,
          fmt::format("cannot read this file as commit {} by {} on {} added it (blob {}): {}; it was not scanned",
                      commit.short_id, commit.author.name, commit_date(commit.author.time),
                      short_id(blob.blob_id), content.error().message)));
      return true;
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
  };
  // Commits and trees that cannot be read: what only they hold is not scanned.
  std::set<std::string> unreadable_ids;  // a tree is met as a commit's and as its child's parent's
  auto on_unreadable = [&](const git::UnreadableObject& o) {
    if (!o.object_id.empty() && !unreadable_ids.insert(o.object_id).second) return;
    ++unreadable;
    found.push_back(unreadable_object(
        session, history_options, o.path,
        fmt::format("history{}: {}; what only it holds was not scanned",
                    o.commit ? " at commit " + o.commit->short_id : std::string(), o.reason)));
  };
  auto walked = repository.walk_history_blobs(visit, on_unreadable);
  if (!walked) return std::unexpected(walked.error());
  flush();
  for (auto& f : found) result.findings.push_back(std::move(f));
  std::sort(result.findings.begin(), result.findings.end(), engine::report_order);
  result.notes.push_back({".git", fmt::format("history: {} blob(s) scanned once each; {} finding(s) in history{}",
                                              blobs, reported.size(),
                                              unreadable > 0 ? fmt::format("; {} git object(s) unreadable", unreadable)
                                                             : std::string())});
  std::sort(result.notes.begin(), result.notes.end());
  return {};
}

}  // namespace constable::app
